import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { forbidden } from '../http/errors.ts';
import { PhoneBlacklist } from './phone-blacklist.ts';
import { bulkResult, phoneBlockBody, phoneBlockBulkBody, phoneBlockQuery, phoneBlockView } from './phone-block-schemas.ts';

/** 电话回拨阻止 (DISPLAY-PHONEBLOCK-16): admins and `phone.block` holders, while an enabled plugin uses the blacklist. */
export function registerPhoneBlockRoutes(api: ApiRouter, c: DependencyContainer) {
  const blacklist = c.resolve(PhoneBlacklist);
  const tags = ['blocking'];
  const permission = 'phone.block';
  const unavailable = '; admins and phone.block holders (404 phone_blacklist_unavailable while no enabled plugin uses the blacklist)';
  /**
   * Checked in the handler, not as the route's `permission`: while no plugin uses the blacklist the
   * permission does not exist for the company, so the answer is that the section is unavailable.
   */
  const gate = async (auth: AuthInfo) => {
    await blacklist.assertAvailable(auth.companyId);
    if (!auth.can(permission)) throw forbidden(permission);
  };

  api.route({
    method: 'get',
    path: '/api/phone-blocks',
    summary: 'The phone blacklist, newest first, one page; `q` searches digits of the number or the note' + unavailable,
    tags,
    auth: 'agent',
    query: phoneBlockQuery,
    response: z.object({ items: z.array(phoneBlockView), total: z.number(), limit: z.number() }),
    handler: async ({ auth, query }) => {
      await gate(auth);
      return blacklist.list(auth.tenant, query);
    },
  });
  api.route({
    method: 'post',
    path: '/api/phone-blocks',
    summary: 'Add a number (400 invalid_phone, 409 duplicate_entry, 409 phone_block_limit at 5,000)' + unavailable,
    tags,
    auth: 'agent',
    body: phoneBlockBody,
    status: 201,
    response: phoneBlockView,
    handler: async ({ auth, body }) => {
      await gate(auth);
      return blacklist.add(auth, body);
    },
  });
  api.route({
    method: 'post',
    path: '/api/phone-blocks/bulk',
    summary: 'Paste many numbers, one per line (optionally `number, note`); good lines are added, the others answered per line' + unavailable,
    tags,
    auth: 'agent',
    body: phoneBlockBulkBody,
    response: bulkResult,
    handler: async ({ auth, body }) => {
      await gate(auth);
      return blacklist.addMany(auth, body);
    },
  });
  api.route({
    method: 'delete',
    path: '/api/phone-blocks/:id',
    summary: 'Remove a number from the blacklist' + unavailable,
    tags,
    auth: 'agent',
    params: idParams,
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ auth, params }) => {
      await gate(auth);
      await blacklist.remove(auth.tenant, params.id);
      return { ok: true as const };
    },
  });
}
