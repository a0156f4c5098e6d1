import { z } from 'zod';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { notFound, rateLimited } from '../http/errors.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { iconKeySchema } from '../protocol/visitor-events.ts';
import { PageViewRecorder } from './page-view-recorder.ts';
import { VisitorService } from './visitor-service.ts';

/**
 * The loader's page-view beacon (VISITOR-ARRIVE-2): the live trail fills while
 * the chat window is closed, without loading the realtime client. The visitor
 * token travels in the body (never a URL) and comes back for the host page's
 * first-party storage; an unknown token gets a new visitor.
 */
export function registerBeaconRoutes(api: ApiRouter, c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const visitors = c.resolve(VisitorService);
  const recorder = c.resolve(PageViewRecorder);
  // Per node and per address: generous for real browsing, a wall for floods.
  const limiter = new RateLimiterMemory({ keyPrefix: 'beacon', points: 120, duration: 60 });

  api.route({
    method: 'post',
    path: '/api/widget/pageview',
    summary: 'Page view from the widget loader (works with the chat closed)',
    tags: ['widget'],
    auth: 'public',
    body: z.strictObject({
      companyId: z.number().int().min(10000).max(999999999),
      token: z.string().max(100).optional(),
      url: z.string().trim().min(1).max(2048),
      title: z.string().max(500).optional(),
      referrer: z.string().max(2048).optional(),
      language: z.string().max(20).optional(),
      iconKey: iconKeySchema.optional(),
    }),
    response: z.object({ token: z.string(), visitId: z.number() }),
    handler: async ({ body, ctx }) => {
      await limiter.consume(ctx.state.ip).catch((r) => {
        throw rateLimited(Math.ceil((r?.msBeforeNext ?? 60_000) / 1000));
      });
      const company = await db('companies').where({ public_id: body.companyId, status: 'active' }).first('id');
      if (!company) throw notFound('Unknown company');
      const client = { ip: ctx.state.ip as string, userAgent: ctx.get('user-agent') };
      const { visitor, token } = await visitors.identify(Number(company.id), body.token, client);
      const visitId = await recorder.record(visitor, body, client);
      return { token, visitId };
    },
  });
}
