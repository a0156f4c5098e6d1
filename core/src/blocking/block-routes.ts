import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { notFound } from '../http/errors.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import { ipInList, parseCidrList } from '../http/client-ip.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { BlockService, blockBody } from './block-service.ts';
import { registerPhoneBlockRoutes } from './phone-block-routes.ts';

const blockView = z.object({
  id: z.number(),
  kind: z.enum(['visitor', 'chat']),
  cidr: z.string().nullable(),
  visitorId: z.number().nullable(),
  note: z.string().nullable(),
  endsAt: z.string().nullable(),
  createdBy: z.number().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  hits: z.number(),
});

export function registerBlockRoutes(api: ApiRouter, c: DependencyContainer) {
  const blocks = c.resolve(BlockService);
  const conversations = c.resolve(ConversationService);
  const tags = ['blocking'];
  const permission = 'visitor.block';

  /** A conversation in progress when a block starts ends with reason `blocked` (VISITOR-BLOCK-13). */
  const endCovered = async (t: Tenant, cover: { visitorId?: number; cidr?: string | null }) => {
    const open = await t
      .q('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .whereNot('c.status', 'ended')
      .select('c.id', 'v.id as visitor_id', 'v.last_ip');
    const range = cover.cidr ? parseCidrList(cover.cidr) : null;
    for (const o of open)
      if (Number(o.visitor_id) === cover.visitorId || (range && o.last_ip && ipInList(o.last_ip, range)))
        await conversations.end(t.companyId, Number(o.id), { kind: 'system' }, 'blocked').catch(() => undefined);
  };

  api.route({
    method: 'get',
    path: '/api/blocks',
    summary: 'Live blocks (DISPLAY-BLOCKLIST-10)',
    tags,
    auth: 'agent',
    permission,
    response: z.object({ items: z.array(blockView) }),
    handler: async ({ auth }) => ({ items: await blocks.list(auth.tenant) }),
  });
  api.route({
    method: 'post',
    path: '/api/blocks',
    summary: 'Block an address, a range or a visitor (DISPLAY-BLOCKADD-11)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: blockBody,
    response: z.object({ items: z.array(blockView) }),
    handler: async ({ body, auth, ctx }) => {
      await blocks.add(auth, body, ctx.state.ip);
      await endCovered(auth.tenant, { visitorId: body.visitorId, cidr: body.cidr });
      await blocks.announce(auth.companyId, [{ kind: body.kind, cidr: body.cidr ?? null, visitor_id: body.visitorId ?? null }], true);
      return { items: await blocks.list(auth.tenant) };
    },
  });
  api.route({
    method: 'post',
    path: '/api/visitors/:id/block',
    summary: 'Block the visitor of a row: its visitor ID and current address (VISITOR-BLOCK-13)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    params: idParams,
    body: blockBody.pick({ kind: true, endsAt: true, note: true }),
    response: z.object({ items: z.array(blockView) }),
    handler: async ({ params, body, auth, ctx }) => {
      const v = await auth.tenant.q('visitors').where({ id: params.id }).first('id', 'last_ip');
      if (!v) throw notFound('Visitor not found');
      // One entry holds both, so a visitor whose mobile address changes stays blocked (DISPLAY-BLOCKMENU-14).
      const cidr = v.last_ip && v.last_ip !== ctx.state.ip ? v.last_ip : undefined;
      await blocks.add(auth, { ...body, visitorId: params.id, cidr }, ctx.state.ip);
      await endCovered(auth.tenant, { visitorId: params.id, cidr });
      await blocks.announce(auth.companyId, [{ kind: body.kind, cidr: cidr ?? null, visitor_id: params.id }], true);
      return { items: await blocks.list(auth.tenant) };
    },
  });
  api.route({
    method: 'delete',
    path: '/api/blocks/:id',
    summary: 'Remove a block: the visitor is unblocked at once (DISPLAY-BLOCKEND-15)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    handler: async ({ params, auth }) => blocks.remove(auth.tenant, params.id),
  });
  registerPhoneBlockRoutes(api, c);
}

/** Expired entries go within a minute and their visitors are restored (DISPLAY-BLOCKEND-15); called once per node from server.ts. */
export function registerBlockJobs(c: DependencyContainer): void {
  const blocks = c.resolve(BlockService);
  c.resolve(CronSupervisor).schedule('core', 'block-expiry', '*/20 * * * * *', () => blocks.expireDue().then(() => undefined));
}
