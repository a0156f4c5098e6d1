import { z } from 'zod';
import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { conversationView } from '../protocol/message-schemas.ts';
import { AssignmentService } from './assignment-service.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { isEligible, RoutingService } from './routing-service.ts';

const dashboardView = z.object({
  /** Per scope (null: the whole company): waiting now, the longest wait, eligible agents with a free slot. */
  scopes: z.array(
    z.object({ groupId: z.number().nullable(), name: z.string().nullable(), waiting: z.number(), longestWaitSeconds: z.number(), freeAgents: z.number() }),
  ),
  /** Every enabled agent of the company: those without a console open as offline with no load. */
  agents: z.array(
    z.object({
      id: z.number(),
      nickname: z.string(),
      status: z.string(),
      load: z.number(),
      cap: z.number(),
      todayCount: z.number(),
      lastAssignedAt: z.string().nullable(),
      canAccept: z.boolean(),
    }),
  ),
  /** Every waiting request in queue order; `position` is the one its visitor is told. */
  waiting: z.array(z.object({ conversation: conversationView, position: z.number() })),
});
const dispatchBody = z.strictObject({ conversationId: z.number().int().positive(), agentId: z.number().int().positive() });

/** 排队监控 (ASSIGN-DASHBOARD-17): the whole queue and who could take it, for admins and assign.manage holders. */
@injectable()
export class QueueDashboard {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
  ) {}

  async view(t: Tenant): Promise<z.infer<typeof dashboardView>> {
    const settings = await this.routing.settings(t.companyId);
    const [waiting, present, groups, members, agents] = await Promise.all([
      this.queries.waiting(t),
      this.routing.candidates(t.companyId, null, settings),
      t.q('groups').orderBy('name').select('id', 'name'),
      t.q('group_members').select('group_id', 'agent_id'),
      t.q('agents').whereNull('deleted_at').whereNull('disabled_at').orderBy('id').select('id', 'nickname', 'role', 'permissions', 'max_chats'),
    ]);
    const now = this.clock.now().getTime();
    const nickname = new Map<number, string>(agents.map((a: any) => [Number(a.id), a.nickname]));
    const free = present.filter(isEligible).map((c) => c.agentId);
    const inGroup = new Set(members.map((m: any) => `${m.group_id}:${m.agent_id}`));
    const scope = (groupId: number | null, name: string | null) => {
      const mine = waiting.filter((c) => c.scopeGroupId === groupId);
      const oldest = mine.reduce((min, c) => Math.min(min, Date.parse(c.createdAt)), now);
      return {
        groupId,
        name,
        waiting: mine.length,
        longestWaitSeconds: Math.max(0, Math.floor((now - oldest) / 1000)),
        freeAgents: groupId == null ? free.length : free.filter((a) => inGroup.has(`${groupId}:${a}`)).length,
      };
    };
    return {
      scopes: [scope(null, null), ...groups.map((g: any) => scope(Number(g.id), g.name))],
      agents: [
        ...present.map((c) => ({
          id: c.agentId,
          nickname: nickname.get(c.agentId) ?? '',
          status: c.status,
          load: c.load,
          cap: c.cap,
          todayCount: c.todayCount,
          lastAssignedAt: c.lastAssignedAt,
          canAccept: c.canAccept,
        })),
        // The whole team, not only who is on a console: the others are shown 离线 (ASSIGN-DASHBOARD-17).
        ...agents
          .filter((a: any) => !present.some((c) => c.agentId === Number(a.id)))
          .map((a: any) => ({
            id: Number(a.id),
            nickname: a.nickname,
            status: 'offline',
            load: 0,
            cap: a.max_chats ?? settings.defaultCap,
            todayCount: 0,
            lastAssignedAt: null,
            canAccept: a.role === 'admin' || (a.permissions ?? []).includes('conversation.accept'),
          })),
      ],
      waiting: waiting.map((conversation, i) => ({ conversation, position: i + 1 })),
    };
  }
}

export function registerQueueDashboardRoutes(api: ApiRouter, c: DependencyContainer) {
  const dashboard = c.resolve(QueueDashboard);
  const assignment = c.resolve(AssignmentService);
  const manage = { tags: ['conversations'], auth: 'agent' as const, permission: 'assign.manage' };
  api.route({
    ...manage,
    method: 'get',
    path: '/api/queue/dashboard',
    summary: '排队监控: per scope waiting, longest wait and free agents; agents on a console with load and cap; the waiting requests (ASSIGN-DASHBOARD-17)',
    response: dashboardView,
    handler: ({ auth }) => dashboard.view(auth.tenant),
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/queue/dispatch',
    summary:
      '指派: give a waiting request to an agent on duty who holds conversation.accept, even outside its scope or at cap; 409 already_accepted, target_unavailable, too_many_conversations',
    body: dispatchBody,
    response: z.object({ conversation: conversationView }),
    handler: async ({ body, auth }) => ({ conversation: await assignment.dispatch(auth.companyId, body.agentId, body.conversationId) }),
  });
}
