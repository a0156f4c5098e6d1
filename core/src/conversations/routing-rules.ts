import { z } from 'zod';
import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { conflict, validationFailed } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { SectionStore } from '../icons/section-store.ts';
import { conditionsHold, visitorConditions, type VisitorFacts } from '../policies/visitor-conditions.ts';
import { loadVisitorFacts } from '../policies/visitor-facts.ts';
import { regionEntry } from '../region/region-schema.ts';
import { RoutingService } from './routing-service.ts';

/** ASSIGN-RULES-4: at most 100 rules; more → 409 routing_rule_limit (not a schema error, so the cap has its own code). */
export const MAX_RULES = 100;

export const routingRule = z.strictObject({
  name: z.string().trim().min(1).max(50),
  enabled: z.boolean().default(true),
  conditions: visitorConditions.prefault({}),
  groupId: z.number().int().positive(),
});
export const routingRulesSchema = z.strictObject({ rules: z.array(routingRule).max(1000).default([]) });
export type RoutingRules = z.output<typeof routingRulesSchema>;

/** A sample visitor for the 测试 box; what is left out is unknown (a condition on it does not hold). */
export const ruleSample = z.strictObject({
  url: z.string().max(2048).nullish(),
  referrer: z.string().max(2048).nullish(),
  keyword: z.string().max(100).nullish(),
  region: regionEntry.nullish(),
  language: z.string().max(20).nullish(),
  channel: z.string().max(40).default('web'),
  visitorType: z.enum(['new', 'returning']).default('new'),
  iconId: z.number().int().positive().nullish(),
  at: z.iso.datetime({ offset: true }).nullish().describe('Default: now'),
});

const SECTION = 'routing';

/**
 * Routing rules (ASSIGN-RULES-4), step 4 of ASSIGN-SCOPE-3: the first enabled
 * rule whose conditions all hold scopes a request to its group, when no icon,
 * IM account or question type has set a scope. Stored as a versioned settings
 * document; saves reach every node within 5 s.
 */
@injectable()
export class RoutingRuleService {
  private cache = new TtlCache<number, RoutingRules>(5000, async (companyId) => (await this.get(new Tenant(this.db, companyId))).settings);

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(SectionStore) private readonly store: SectionStore,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, SECTION, routingRulesSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: RoutingRules }) {
    const { rules } = input.settings;
    if (rules.length > MAX_RULES) throw conflict('routing_rule_limit', `At most ${MAX_RULES} routing rules`, { limit: MAX_RULES });
    const known = new Set(
      (
        await auth.tenant
          .q('groups')
          .whereIn(
            'id',
            rules.map((r) => r.groupId),
          )
          .select('id')
      ).map((g: any) => Number(g.id)),
    );
    const missing = rules.flatMap((r, i) =>
      known.has(r.groupId) ? [] : [{ path: `settings.rules.${i}.groupId`, code: 'group_not_found', message: `Rule "${r.name}": no such group` }],
    );
    if (missing.length) throw validationFailed(missing);
    const saved = await this.store.put(auth, SECTION, routingRulesSchema, input);
    this.cache.delete(auth.companyId);
    return saved;
  }

  /** The first enabled rule whose conditions hold, with its place in the list. */
  private first(rules: RoutingRules, facts: VisitorFacts) {
    const index = rules.rules.findIndex((r) => r.enabled && conditionsHold(r.conditions, facts));
    return index < 0 ? null : { index, ...rules.rules[index] };
  }

  private async timeZone(companyId: number): Promise<string> {
    return (await this.db('companies').where({ id: companyId }).first('timezone'))?.timezone ?? 'Asia/Shanghai';
  }

  /** The group a new request is scoped to by the rules, or null (whole company). */
  async groupFor(companyId: number, req: { visitorId: number; iconId: number | null; ip: string }): Promise<number | null> {
    const rules = await this.cache.get(companyId);
    if (!rules.rules.some((r) => r.enabled)) return null;
    const facts = await loadVisitorFacts(new Tenant(this.db, companyId), req.visitorId, { ip: req.ip, iconId: req.iconId, at: this.clock.now() });
    return this.first(rules, facts)?.groupId ?? null;
  }

  /** 测试: the saved rules against a sample visitor, and who would be eligible for the resulting scope now. */
  async test(auth: AuthInfo, s: z.output<typeof ruleSample>) {
    const rules = (await this.get(auth.tenant)).settings;
    const rule = this.first(rules, {
      url: s.url ?? null,
      referrer: s.referrer ?? null,
      // The sample names no visit; conditions on it see a direct first visit's first page.
      source: 'direct',
      secondsOnSite: 0,
      pageViews: 1,
      visitNumber: s.visitorType === 'returning' ? 2 : 1,
      keyword: s.keyword ?? null,
      region: s.region ?? { country: null, province: null, city: null },
      language: s.language ?? null,
      channel: s.channel,
      returning: s.visitorType === 'returning',
      iconId: s.iconId ?? null,
      at: s.at ? new Date(s.at) : this.clock.now(),
      timeZone: await this.timeZone(auth.companyId),
    });
    const groupId = rule?.groupId ?? null;
    const eligible = await this.routing.eligible(auth.companyId, groupId, await this.routing.settings(auth.companyId));
    const names = await auth.tenant
      .q('agents')
      .whereIn(
        'id',
        eligible.map((c) => c.agentId),
      )
      .select('id', 'nickname');
    const byId = new Map<number, string>(names.map((a: any) => [Number(a.id), a.nickname]));
    return {
      rule: rule && { index: rule.index, name: rule.name },
      scope: groupId == null ? { kind: 'company' as const, groupId: null } : { kind: 'group' as const, groupId },
      agents: eligible.map((c) => ({ agentId: c.agentId, nickname: byId.get(c.agentId) ?? '', load: c.load, cap: c.cap })),
    };
  }
}

/** 自动分配 › 分配规则 (ASSIGN-RULES-4), with the queue limits on the same screen: assign.manage. */
export function registerRoutingRuleRoutes(api: ApiRouter, c: DependencyContainer) {
  const rules = c.resolve(RoutingRuleService);
  const manage = { tags: ['settings'], auth: 'agent' as const, permission: 'assign.manage' };
  settingsDocumentRoutes(api, {
    path: '/api/settings/routing-rules',
    what: 'The ordered routing rules: conditions on page, referrer, keyword, region, language, channel, new/returning, icon, time → group (ASSIGN-RULES-4)',
    schema: routingRulesSchema,
    service: rules,
    permission: 'assign.manage',
    saveRules: 'the whole ordered list, ≤ 100 (else 409 routing_rule_limit); a bad condition → 400 naming rule and condition',
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/settings/routing-rules/test',
    summary: '测试: which saved rule a sample visitor matches and which agents would be eligible now (ASSIGN-RULES-4)',
    body: ruleSample,
    response: z.object({
      rule: z.object({ index: z.number(), name: z.string() }).nullable(),
      scope: z.object({ kind: z.enum(['company', 'group']), groupId: z.number().nullable() }),
      agents: z.array(z.object({ agentId: z.number(), nickname: z.string(), load: z.number(), cap: z.number() })),
    }),
    handler: ({ body, auth }) => rules.test(auth, body),
  });
}
