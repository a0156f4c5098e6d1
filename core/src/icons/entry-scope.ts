import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { RegionService } from '../region/region-service.ts';
import { RoutingRuleService } from '../conversations/routing-rules.ts';
import { fieldError } from '../http/errors.ts';
import { IconService } from './icon-service.ts';

/**
 * Where a visitor's chat request came from decides who may serve it
 * (ASSIGN-SCOPE-3 step 1): an icon bound to a group scopes it to the group, an
 * icon bound to an agent is remembered on the conversation for the routing
 * filter (icon-routing.ts), and so is a group icon's agent entry (ICON-GROUP-6).
 * The service region is checked first (REGION-ENFORCE-2).
 */
@injectable()
export class EntryScope {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(IconService) private readonly icons: IconService,
    @inject(RegionService) private readonly region: RegionService,
    @inject(RoutingRuleService) private readonly rules: RoutingRuleService,
  ) {}

  async admit(
    companyId: number,
    visitorId: number,
    ip: string,
    p: { iconKey?: string; groupId?: number; agentId?: number },
  ): Promise<{ groupId: number | null; iconId: number | null; agentId: number | null }> {
    // A running chat is answered as it is (the request returns it): region changes never cut it.
    const open = await this.db('conversations').where({ company_id: companyId, visitor_id: visitorId }).whereNot('status', 'ended').first('id');
    if (!open) await this.region.admit(companyId, ip);
    const found = p.iconKey ? await this.icons.byKey(companyId, p.iconKey) : null;
    const b = found?.icon.binding;
    const groupId = b?.kind === 'group' ? b.groupId : (p.groupId ?? null);
    const iconId = found?.id ?? null;
    // Only an agent the icon lists as an entry: a visitor cannot pick any agent of the company.
    const agentId = p.agentId ?? null;
    if (agentId != null && !found?.icon.entries.some((e) => e.kind === 'agent' && e.id === agentId))
      throw fieldError('agentId', 'agent_not_found', `The icon has no entry for agent ${agentId}`);
    // Step 4 of ASSIGN-SCOPE-3: routing rules, only when nothing before them set a scope.
    if (open || groupId != null || agentId != null || b?.kind === 'agent') return { groupId, iconId, agentId };
    return { groupId: await this.rules.groupFor(companyId, { visitorId, iconId, ip }), iconId, agentId };
  }
}
