import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { LiveVisitors } from './live-visitors.ts';

const attrValue = z.union([z.string().max(500), z.number(), z.boolean()]);

/**
 * `profile.set`: what the host page's `Kefu('setUser' | 'setAttributes')` says
 * about the visitor. Without a verified member token (member-sso) these are
 * only the site's claims: shown to agents, never used to merge visitors, so
 * the `id` is kept as `claimedId` and can never unlock a member's history.
 */
export const profileSet = z.strictObject({
  user: z
    .strictObject({
      id: z.union([z.string().max(100), z.number()]).optional(),
      name: z.string().trim().min(1).max(50).optional(),
      email: z.email().max(254).optional(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9][0-9\s()-]{4,28}$/, 'A phone number')
        .optional(),
    })
    .optional(),
  attributes: z
    .record(z.string().min(1).max(40), attrValue)
    .refine((a) => Object.keys(a).length <= 30, 'At most 30 attributes')
    .optional(),
});

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

export function profileVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const db = c.resolve<Db>(TOKENS.Db);
  const live = c.resolve(LiveVisitors);

  async function set(p: z.output<typeof profileSet>, { visitor }: VisitorCaller) {
    const u = p.user ?? {};
    const sdk = { ...(p.attributes ?? {}), ...(u.id !== undefined ? { claimedId: String(u.id) } : {}) };
    const patch: Record<string, unknown> = {};
    if (u.name) patch.name = u.name;
    if (u.email) patch.email = u.email;
    if (u.phone) patch.phone = u.phone;
    if (Object.keys(sdk).length)
      patch.attributes = db.raw(`coalesce(attributes, '{}'::jsonb) || jsonb_build_object('sdk', coalesce(attributes->'sdk', '{}'::jsonb) || ?::jsonb)`, [
        JSON.stringify(sdk),
      ]);
    if (Object.keys(patch).length) await new Tenant(db, visitor.companyId).q('visitors').where({ id: visitor.id }).update(patch);
    await live.push(visitor.companyId, visitor.id);
    return {};
  }

  return new Map<string, VisitorHandler>([['profile.set', { spec: { schema: profileSet, handler: set } }]]);
}
