import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { notFound } from '../http/errors.ts';
import { consumeOr429, makeLimiter } from '../leavemsg/limits.ts';
import { autoReplySchema, AutoReplySettingsService } from './auto-reply-settings.ts';
import { policySettingsSchema } from './policy-settings-schema.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { PushOutbox } from './push-outbox.ts';
import { VerificationChallenges } from './verification-challenges.ts';

const attempt = z.object({ status: z.number().nullable(), latencyMs: z.number().nullable(), error: z.string().nullable() });
const logEntry = z.object({
  id: z.number(),
  eventId: z.string(),
  type: z.string(),
  conversationId: z.number().nullable(),
  status: z.enum(['pending', 'delivered', 'failed', 'gone']),
  attempts: z.number(),
  lastStatus: z.number().nullable(),
  latencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
const challenge = z.object({ challengeId: z.string(), image: z.string(), expiresAt: z.string() });

/** Conversation settings (POLICY §7.1.8), push log and resend, the visitor challenge, and agents' automatic replies. */
export function registerPolicyRoutes(api: ApiRouter, c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const settings = c.resolve(PolicySettingsService);
  const outbox = c.resolve(PushOutbox);
  const challenges = c.resolve(VerificationChallenges);
  const autoReply = c.resolve(AutoReplySettingsService);
  const challengesPerIp = makeLimiter(db, 'policy_challenge_ip', 30, 60);
  const manage = { tags: ['settings'], auth: 'agent' as const, permission: 'settings.manage' };

  settingsDocumentRoutes(api, {
    path: '/api/settings/policies',
    what: 'Conversation settings: visitor timeout, automatic proactive chat, anti-spam, hold, push (POLICY §7.1.8)',
    schema: policySettingsSchema,
    service: settings,
    saveRules: 'push needs hold (push_requires_hold)',
    extra: { pushSecret: z.string().nullable(), newPushSecret: z.string().optional() },
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/settings/policies/push-secret',
    summary: 'A new push signing secret, shown in full this once; the previous one keeps signing for 24 h (POLICY-PUSH-10)',
    response: z.object({ secret: z.string(), previousValidUntil: z.string().nullable() }),
    handler: ({ auth }) => settings.rotatePushSecret(auth),
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/settings/policies/push-test',
    summary: 'Send a `push.test` event to the saved push URL now and report the answer (POLICY-PUSH-10)',
    response: attempt,
    handler: async ({ auth }) => outbox.sendTest(auth.tenant, (await settings.get(auth.tenant)).settings.push.url),
  });
  api.route({
    ...manage,
    method: 'get',
    path: '/api/policies/push-deliveries',
    summary: 'Push delivery log of the last 30 days, newest first; `failed=true` keeps failed ones (POLICY-PUSH-12)',
    query: z.strictObject({
      failed: z.stringbool().optional(),
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce
        .number()
        .pipe(z.union([z.literal(20), z.literal(50), z.literal(100)]))
        .default(20),
    }),
    response: z.object({ total: z.number(), items: z.array(logEntry) }),
    handler: ({ query, auth }) => outbox.list(auth.tenant, query),
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/policies/push-deliveries/:id/resend',
    summary: 'Push an entry again with the same webhook-id (重新推送)',
    status: 202,
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: logEntry,
    handler: ({ params, auth }) => outbox.resend(auth.tenant, params.id),
  });
  api.route({
    method: 'post',
    path: '/api/widget/verification',
    summary: 'A new image challenge for the anti-spam verification (POLICY-SPAM-5); rate limited per address',
    tags: ['widget'],
    auth: 'public',
    status: 201,
    body: z.strictObject({ companyId: z.number().int().positive() }),
    response: challenge,
    handler: async ({ body, ctx }) => {
      const company = await db('companies').where({ public_id: body.companyId, status: 'active' }).first('id');
      if (!company) throw notFound('Unknown company');
      await consumeOr429(challengesPerIp, String(ctx.state.ip ?? ctx.ip));
      return challenges.create(Number(company.id));
    },
  });
  api.route({
    method: 'get',
    path: '/api/profile/auto-reply',
    summary: 'My automatic replies: welcome and no-reply message (CHATSET-WELCOME-1, CHATSET-AUTOREPLY-2)',
    tags: ['profile'],
    auth: 'agent',
    response: autoReplySchema,
    handler: ({ auth }) => autoReply.get(auth.tenant, auth.agent.id),
  });
  api.route({
    method: 'put',
    path: '/api/profile/auto-reply',
    summary: 'Save my automatic replies; placeholders {visitor}, {agent}, {company} (others → unknown_placeholder)',
    tags: ['profile'],
    auth: 'agent',
    body: autoReplySchema,
    response: autoReplySchema,
    handler: ({ body, auth }) => autoReply.put(auth.tenant, auth.agent.id, body),
  });
}
