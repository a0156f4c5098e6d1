import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { AssignmentService } from './assignment-service.ts';
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { RoutingService, type ServiceState } from './routing-service.ts';

export interface OverflowMark {
  overflowed_at: Date;
  overflow_group_id: number | null;
}

/**
 * GROUP-OVERFLOW-7: a group that cannot serve a request sends it to another
 * group or the whole company — at once when no member can chat, or after the
 * group's wait when members are on duty but none took it. 留言 groups keep
 * their requests (the queue's own limits end them in the leave-message form).
 * The conversation keeps `group_id`; only who may take it changes.
 */
@injectable()
export class GroupOverflow {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(QueueBroadcaster) private readonly queue: QueueBroadcaster,
    @inject(AssignmentService) private readonly assignment: AssignmentService,
  ) {}

  /** For a new request: the overflow columns when its group has nobody who can chat, else null. */
  async atRequest(companyId: number, groupId: number | null): Promise<OverflowMark | null> {
    if (groupId == null || (await this.routing.ownState(companyId, groupId)) !== 'offline') return null;
    const target = await this.routing.overflowTarget(companyId, groupId);
    return target === undefined ? null : { overflowed_at: this.clock.now(), overflow_group_id: target };
  }

  /** Run every second on one node: requests whose group went offline or whose wait ran out move on. */
  async sweep(): Promise<void> {
    const rows = await this.db('conversations as c')
      .join('groups as g', 'g.id', 'c.group_id')
      .where('c.status', 'queued')
      .whereNull('c.overflowed_at')
      .whereNull('c.served_by_plugin')
      .whereNull('c.offered_agent_id') // an agent is deciding on it (ASSIGN-CONNECT-15)
      .whereNot('g.overflow_target', 'leave_message')
      .orderBy('c.created_at')
      .limit(200)
      .select('c.id', 'c.company_id', 'c.group_id', 'c.created_at', 'g.overflow_target', 'g.overflow_group_id', 'g.overflow_wait_seconds');
    const now = this.clock.now();
    const states = new Map<string, Promise<ServiceState>>();
    const stateOf = (companyId: number, groupId: number) => {
      const key = `${companyId}:${groupId}`;
      if (!states.has(key)) states.set(key, this.routing.ownState(companyId, groupId));
      return states.get(key)!;
    };
    const moved = new Set<number>();
    for (const r of rows) {
      const companyId = Number(r.company_id);
      if (r.overflow_target === 'group' && r.overflow_group_id == null) continue; // its target was deleted: 留言
      const waitedOut = now.getTime() - new Date(r.created_at).getTime() >= Number(r.overflow_wait_seconds) * 1000;
      if (!waitedOut && (await stateOf(companyId, Number(r.group_id))) !== 'offline') continue;
      const n = await this.db('conversations')
        .where({ id: r.id, status: 'queued' })
        .whereNull('overflowed_at')
        .whereNull('offered_agent_id')
        .update({ overflowed_at: now, overflow_group_id: r.overflow_target === 'group' ? r.overflow_group_id : null });
      if (n) moved.add(companyId);
    }
    for (const companyId of moved) {
      await this.queue.changed(companyId);
      await this.assignment.assignWaiting(companyId);
    }
  }
}

/** The overflow sweep (one node per tick); called once per node from server.ts. */
export function registerOverflowJob(c: DependencyContainer): void {
  const overflow = c.resolve(GroupOverflow);
  c.resolve(CronSupervisor).schedule('core', 'group-overflow', '* * * * * *', () => overflow.sweep());
}
