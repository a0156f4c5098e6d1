import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { PLACEHOLDERS } from './policy-messages.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

/** Texts of 1–500 characters whose only placeholders are {visitor}, {agent} and {company} (CHATSET-WELCOME-1). */
const template = z
  .string()
  .trim()
  .max(500)
  .superRefine((v, ctx) => {
    for (const [, name] of v.matchAll(/\{([^{}]*)\}/g))
      if (!(PLACEHOLDERS as readonly string[]).includes(name))
        ctx.addIssue({
          code: 'custom',
          message: `Unknown placeholder {${name}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
          params: { code: 'unknown_placeholder' },
        });
  })
  .default('');
const needsText = (s: { enabled: boolean; text: string }, ctx: z.RefinementCtx) => {
  if (s.enabled && !s.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'A text is required', params: { code: 'required' } });
};

export const autoReplySchema = z.strictObject({
  welcome: z
    .strictObject({ enabled: z.boolean().default(false), text: template })
    .prefault({})
    .superRefine(needsText),
  noReply: z
    .strictObject({ enabled: z.boolean().default(false), delaySeconds: z.number().int().min(10).max(600).default(60), text: template })
    .prefault({})
    .superRefine(needsText),
});
export type AutoReplySettings = z.output<typeof autoReplySchema>;

/** CHATSET-WELCOME-1 / CHATSET-AUTOREPLY-2: each agent's own automatic replies; nobody edits another's. */
@injectable()
export class AutoReplySettingsService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  private readonly cache = new TtlCache<string, AutoReplySettings>(5000, (key) => {
    const [companyId, agentId] = key.split(':').map(Number);
    return this.get(new Tenant(this.db, companyId), agentId);
  });

  async get(t: Tenant, agentId: number): Promise<AutoReplySettings> {
    const row = await t.q('agent_auto_reply').where({ agent_id: agentId }).first('settings');
    const r = autoReplySchema.safeParse(row?.settings ?? {});
    return r.success ? r.data : autoReplySchema.parse({});
  }

  /** Run-time reads (every visitor message), cached ≤ 5 s per node. */
  read(companyId: number, agentId: number): Promise<AutoReplySettings> {
    return this.cache.get(`${companyId}:${agentId}`);
  }

  async put(t: Tenant, agentId: number, s: AutoReplySettings): Promise<AutoReplySettings> {
    await t
      .insert('agent_auto_reply', { agent_id: agentId, settings: JSON.stringify(s), updated_at: this.clock.now() })
      .onConflict('agent_id')
      .merge(['settings', 'updated_at']);
    this.cache.delete(`${t.companyId}:${agentId}`);
    return this.get(t, agentId);
  }
}
