import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { readChatSettings } from '../conversations/chat-settings.ts';
import { rooms } from '../realtime/realtime-notifier.ts';

/** MAIN-SETTINGS-10: a changed setting applies on every node within 5 seconds. */
const SETTING_TTL_MS = 5_000;

/** Who is looking: admins and `conversation.monitor` holders see every visitor whatever the scope. */
export interface VisitorViewer {
  agentId: number;
  seesAll: boolean;
}

/** What a limited viewer may see: visitors of unbound icons, of icons bound to them or their groups, and their own chats. */
export interface ScopeLimit {
  agentId: number;
  groupIds: number[];
}

export const viewerOf = (auth: AuthInfo): VisitorViewer => ({
  agentId: auth.agent.id,
  seesAll: auth.agent.role === 'admin' || auth.can('conversation.monitor'),
});

/**
 * VISITOR-SCOPE-4 访客列表范围: 全部访客 (default) or 本组访客, where an agent
 * sees only visitors on pages whose icon is unbound or bound to the agent or one
 * of the agent's groups. A chat carries the icon it came from; a browsing
 * visitor the icon of the page last viewed.
 */
@injectable()
export class VisitorScope {
  private cache = new Map<number, { limited: boolean; at: number }>();

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** Room of the consoles that see every visitor of a company while the list is limited. */
  static allRoom(companyId: number): string {
    return `visitors-all:${companyId}`;
  }

  async limited(companyId: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(companyId);
    if (hit && now - hit.at < SETTING_TTL_MS) return hit.limited;
    const row = await this.db('companies').where({ id: companyId }).first('chat_settings');
    const limited = readChatSettings(row?.chat_settings).visitorScope === 'group';
    this.cache.set(companyId, { limited, at: now });
    return limited;
  }

  /** Saving the setting on this node applies at once here; other nodes follow within the TTL. */
  forget(companyId: number): void {
    this.cache.delete(companyId);
  }

  /** null: the viewer sees everyone. */
  async limitFor(companyId: number, viewer: VisitorViewer): Promise<ScopeLimit | null> {
    if (viewer.seesAll || !(await this.limited(companyId))) return null;
    const groups = await this.db('group_members').where({ company_id: companyId, agent_id: viewer.agentId }).select('group_id');
    return { agentId: viewer.agentId, groupIds: groups.map((g: any) => Number(g.group_id)) };
  }

  /**
   * Narrows a query over `visitors as v` left-joined with the open `conversations as c`.
   * An icon bound to an agent or a group shows the visitor only to that agent or its members.
   */
  apply(q: Knex.QueryBuilder, limit: ScopeLimit): Knex.QueryBuilder {
    const mine = (alias: string) => (w: Knex.QueryBuilder) =>
      w
        .whereNull(`${alias}.id`)
        .orWhere(`${alias}.agent_id`, limit.agentId)
        .orWhereIn(`${alias}.group_id`, limit.groupIds)
        .orWhere((x) => x.whereNull(`${alias}.agent_id`).whereNull(`${alias}.group_id`));
    return q
      .leftJoin('icons as vi', 'vi.id', 'v.icon_id')
      .leftJoin('icons as ci', 'ci.id', 'c.icon_id')
      .where((w) => w.where('c.agent_id', limit.agentId).orWhere((x) => x.where(mine('vi')).where(mine('ci'))));
  }

  async allows(companyId: number, viewer: VisitorViewer, visitorId: number): Promise<boolean> {
    const limit = await this.limitFor(companyId, viewer);
    if (!limit) return true;
    const q = this.db('visitors as v')
      .leftJoin('conversations as c', function () {
        this.on('c.visitor_id', 'v.id').andOnVal('c.status', '<>', 'ended');
      })
      .where({ 'v.company_id': companyId, 'v.id': visitorId });
    return !!(await this.apply(q, limit).first('v.id'));
  }

  /**
   * Where a visitor row change goes: the company room, or, while the list is
   * limited and the visitor's icon is bound, only to the consoles allowed to see it.
   */
  async roomsOf(companyId: number, visitorId: number): Promise<string[]> {
    if (!(await this.limited(companyId))) return [rooms.company(companyId)];
    const row = await this.db('visitors as v')
      .leftJoin('conversations as c', function () {
        this.on('c.visitor_id', 'v.id').andOnVal('c.status', '<>', 'ended');
      })
      .leftJoin('icons as vi', 'vi.id', 'v.icon_id')
      .leftJoin('icons as ci', 'ci.id', 'c.icon_id')
      .where({ 'v.company_id': companyId, 'v.id': visitorId })
      .first('c.agent_id as serving', 'vi.agent_id as va', 'vi.group_id as vg', 'ci.agent_id as ca', 'ci.group_id as cg');
    if (!row) return [];
    if ([row.va, row.vg, row.ca, row.cg].every((x) => x == null)) return [rooms.company(companyId)];
    const agents = [row.va, row.ca, row.serving].filter((a) => a != null).map(Number);
    const groups = [row.vg, row.cg].filter((g) => g != null).map(Number);
    const members = groups.length ? await this.db('group_members').where({ company_id: companyId }).whereIn('group_id', groups).select('agent_id') : [];
    return [VisitorScope.allRoom(companyId), ...new Set([...agents, ...members.map((m: any) => Number(m.agent_id))].map(rooms.agent))];
  }
}
