import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import type { RoutingCandidate } from '../hooks/hook-types.ts';
import { PresenceService } from '../presence/presence-service.ts';
import { readChatSettings, type ChatSettings } from './chat-settings.ts';

export interface Candidate extends RoutingCandidate {
  canAccept: boolean;
  autoAccept: boolean;
}

/** ASSIGN-QUEUE-8: the queue is ordered by these classes, then by request time. */
export const QUEUE_CLASS = { returned: 1, priority: 2, normal: 3 } as const;

export type ServiceState = 'online' | 'busy' | 'offline';

export const isEligible = (c: Candidate) => c.canAccept && c.autoAccept && c.status === 'online' && c.load < c.cap;

/**
 * Who may serve a request and who gets it automatically (SPEC §3.4): eligible
 * agents are present, 在线, hold conversation.accept, have auto-accept on and a
 * free slot under their cap; the mode orders them; `visitor.routing` may narrow.
 */
@injectable()
export class RoutingService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(PresenceService) private readonly presence: PresenceService,
  ) {}

  async settings(companyId: number): Promise<ChatSettings> {
    const c = await this.db('companies').where({ id: companyId }).first('chat_settings');
    return readChatSettings(c?.chat_settings);
  }

  /** Present agents of the company (or of a group) who may take chats, with load and today's count. */
  async candidates(companyId: number, groupId: number | null, settings: ChatSettings): Promise<Candidate[]> {
    const dayStart = new Date(this.clock.now().getTime() - 24 * 3600_000);
    const q = this.db('agents as a')
      .join('agent_presence as p', 'p.agent_id', 'a.id')
      .where('a.company_id', companyId)
      .whereNull('a.disabled_at')
      .whereNull('a.deleted_at')
      .where('p.heartbeat_at', '>', this.presence.freshSince())
      .select(
        'a.id',
        'a.role',
        'a.permissions',
        'a.max_chats',
        'p.status',
        'p.auto_accept',
        'p.last_assigned_at',
        // Offers awaiting confirmation hold a slot too (ASSIGN-CONNECT-15), and so do chats one helps in (CONV-JOIN-34).
        this.db.raw(
          "((select count(*)::int from conversations c where c.agent_id = a.id and c.status = 'active') + (select count(*)::int from conversations c where c.offered_agent_id = a.id and c.status = 'queued') + (select count(*)::int from conversation_helpers h where h.agent_id = a.id and h.status = 'accepted')) as load",
        ),
        this.db.raw('(select count(*)::int from conversations c where c.agent_id = a.id and c.accepted_at >= ?) as today', [dayStart]),
      );
    if (groupId) q.whereExists((w) => w.select(1).from('group_members as gm').whereRaw('gm.agent_id = a.id').where('gm.group_id', groupId));
    const rows = await q;
    return rows.map((r: any) => ({
      agentId: Number(r.id),
      load: Number(r.load),
      cap: r.max_chats ?? settings.defaultCap,
      todayCount: Number(r.today),
      lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at).toISOString() : null,
      status: r.status,
      canAccept: r.role === 'admin' || (r.permissions ?? []).includes('conversation.accept'),
      autoAccept: r.auto_accept,
    }));
  }

  /**
   * What visitors of a scope are told: `online` while an agent who may take
   * chats is 在线, `busy` when such agents are only 忙碌 (TOOLBAR-BUSY-10: the
   * busy text, then the queue), `offline` otherwise (leave-message mode).
   */
  async serviceState(companyId: number, groupId: number | null): Promise<ServiceState> {
    const own = await this.ownState(companyId, groupId);
    if (own !== 'offline' || groupId == null) return own;
    // ICON-STATE-7: a group sending its requests elsewhere shows the state of those who will serve them.
    const target = await this.overflowTarget(companyId, groupId);
    return target === undefined ? own : this.ownState(companyId, target);
  }

  /** GROUP-STATE-6: the state of the group's own members (of the company when null), ignoring overflow. */
  async ownState(companyId: number, groupId: number | null): Promise<ServiceState> {
    const settings = await this.settings(companyId);
    const takers = (await this.candidates(companyId, groupId, settings)).filter((c) => c.canAccept);
    if (takers.some((c) => c.status === 'online')) return 'online';
    return takers.some((c) => c.status === 'busy') ? 'busy' : 'offline';
  }

  /**
   * GROUP-OVERFLOW-7: where a group sends what it cannot serve — another group's id,
   * null for the whole company, undefined for 留言 (the group keeps it, then the form).
   * A target group deleted since is 留言 too.
   */
  async overflowTarget(companyId: number, groupId: number): Promise<number | null | undefined> {
    const g = await this.db('groups').where({ id: groupId, company_id: companyId }).first('overflow_target', 'overflow_group_id');
    if (g?.overflow_target === 'company') return null;
    if (g?.overflow_target === 'group' && g.overflow_group_id != null) return Number(g.overflow_group_id);
    return undefined;
  }

  /** Is anyone able to chat (online or busy) for this scope? Otherwise the widget offers a leave-message. */
  async anyoneServing(companyId: number, groupId: number | null): Promise<boolean> {
    return (await this.serviceState(companyId, groupId)) !== 'offline';
  }

  /** Who could receive an automatic assignment in this scope right now (ASSIGN-ELIGIBLE-2), before the mode orders them. */
  async eligible(companyId: number, groupId: number | null, settings: ChatSettings): Promise<Candidate[]> {
    return (await this.candidates(companyId, groupId, settings)).filter(isEligible);
  }

  private async previousAgent(companyId: number, visitorId: number, lookBackDays: number): Promise<number | null> {
    const since = new Date(this.clock.now().getTime() - lookBackDays * 86400_000);
    const row = await this.db('conversations')
      .where({ company_id: companyId, visitor_id: visitorId, status: 'ended' })
      .whereNotNull('agent_id')
      .where('ended_at', '>=', since)
      .orderBy('ended_at', 'desc')
      .first('agent_id');
    return row ? Number(row.agent_id) : null;
  }

  /**
   * Orders eligible candidates by mode (ASSIGN-MODE-5) after the routing filter.
   * An empty list means "not now": nobody is free, or the request waits for its
   * previous agent (ASSIGN-STICKY-7); null means a plugin stopped it.
   */
  async choose(
    companyId: number,
    conv: { id: number; visitor_id: number; channel: string; group_id: number | null; created_at?: Date | string },
    settings: ChatSettings,
  ): Promise<{ candidates: RoutingCandidate[]; stickyAgentId: number | null } | null> {
    const present = await this.candidates(companyId, conv.group_id, settings);
    const eligible = present.filter(isEligible);
    const byLoad = (a: RoutingCandidate, b: RoutingCandidate) => a.load / a.cap - b.load / b.cap;
    const byToday = (a: RoutingCandidate, b: RoutingCandidate) => a.todayCount - b.todayCount;
    const byLast = (a: RoutingCandidate, b: RoutingCandidate) => (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '');
    const order = settings.mode === 'sales' ? [byToday, byLoad, byLast] : [byLoad, byToday, byLast];
    eligible.sort((a, b) => order.reduce((d, f) => d || f(a, b), 0) || a.agentId - b.agentId);

    let stickyAgentId: number | null = null;
    const previous = settings.sticky.enabled ? await this.previousAgent(companyId, conv.visitor_id, settings.sticky.lookBackDays) : null;
    const stickyAt = eligible.findIndex((c) => c.agentId === previous);
    if (stickyAt >= 0) {
      eligible.unshift(...eligible.splice(stickyAt, 1));
      stickyAgentId = previous;
    } else if (previous) {
      // On duty in this scope but without a free slot: keep the request for them a while.
      const onDuty = present.find((c) => c.agentId === previous && c.canAccept && (c.status === 'online' || c.status === 'busy'));
      const waitedMs = conv.created_at ? this.clock.now().getTime() - new Date(conv.created_at).getTime() : 0;
      if (onDuty && waitedMs < settings.sticky.waitSeconds * 1000) return { candidates: [], stickyAgentId: null };
    }
    if (!eligible.length) return { candidates: [], stickyAgentId: null };

    const r = await this.filter(companyId, conv, settings, eligible);
    if (r.halted) return null;
    // A handler may narrow or re-order, never add someone outside the eligible set.
    const allowed = new Set(eligible.map((c) => c.agentId));
    const candidates = r.value.candidates.filter((c) => allowed.has(c.agentId));
    return { candidates, stickyAgentId: candidates[0]?.agentId === stickyAgentId ? stickyAgentId : null };
  }

  /**
   * ASSIGN-QUEUE-8: a new request waits in the priority class when a `visitor.routing`
   * handler marks its visitor priority (member-sso's 优先 rule, SSO-ROUTING-13);
   * class 1 is for chats returned to routing, 3 for all others.
   */
  async queueClass(companyId: number, conv: { id: number; visitor_id: number; channel: string; group_id: number | null }, settings: ChatSettings) {
    const r = await this.filter(companyId, conv, settings, await this.eligible(companyId, conv.group_id, settings));
    return !r.halted && r.value.priority ? QUEUE_CLASS.priority : QUEUE_CLASS.normal;
  }

  private async filter(
    companyId: number,
    conv: { id: number; visitor_id: number; channel: string; group_id: number | null },
    settings: ChatSettings,
    candidates: RoutingCandidate[],
  ) {
    const visitor = await this.db('visitors').where({ id: conv.visitor_id }).first('language', 'region');
    return this.hooks.runFilter(
      'visitor.routing',
      {
        conversationId: conv.id,
        scope: { groupId: conv.group_id },
        visitor: { id: conv.visitor_id, language: visitor?.language ?? null, channel: conv.channel, region: visitor?.region ?? null },
        mode: settings.mode,
        candidates,
      },
      { companyId, actor: { kind: 'system' } },
    );
  }
}
