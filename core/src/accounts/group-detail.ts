import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { notFound } from '../http/errors.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { ConversationQueries } from '../conversations/conversation-queries.ts';
import { RoutingRuleService } from '../conversations/routing-rules.ts';
import { RoutingService } from '../conversations/routing-service.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';

export const groupDetailView = z.object({
  /** Each member with status (隐身 only shown to admins), conversations in progress against the cap and accepted today (company time zone). */
  members: z.array(
    z.object({
      agentId: z.number(),
      nickname: z.string(),
      status: z.enum(['online', 'busy', 'away', 'invisible', 'offline']),
      load: z.number(),
      cap: z.number(),
      acceptedToday: z.number(),
    }),
  ),
  /** What sends requests to the group; `id` says which icon, question type or rule (IM accounts belong to their plugins). */
  bindings: z.array(z.object({ kind: z.enum(['icon', 'groupIconEntry', 'questionType', 'routingRule']), id: z.string(), name: z.string() })),
  /** The group's queue now. */
  queue: z.object({
    waiting: z.array(z.object({ conversationId: z.number(), visitorNumber: z.number(), visitorName: z.string().nullable(), createdAt: z.string() })),
    longestWaitSeconds: z.number(),
  }),
});
type GroupDetail = z.infer<typeof groupDetailView>;

/** 点击可展开该组相关信息 (SPEC GROUP-EXPAND-2): a group's members, bindings and queue, for the expanded row of 分组管理. */
@injectable()
export class GroupDetailService {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(WidgetSettingsService) private readonly widget: WidgetSettingsService,
    @inject(RoutingRuleService) private readonly rules: RoutingRuleService,
  ) {}

  async detail(auth: AuthInfo, groupId: number): Promise<GroupDetail> {
    const t = auth.tenant;
    if (!(await t.q('groups').where({ id: groupId }).first('id'))) throw notFound('Group not found');
    const now = this.clock.now();
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('timezone');
    const settings = await this.routing.settings(t.companyId);
    const [members, present, waiting, icons, widget, rules] = await Promise.all([
      t
        .q('agents as a')
        .join('group_members as gm', 'gm.agent_id', 'a.id')
        .where('gm.group_id', groupId)
        .whereNull('a.deleted_at')
        .orderBy('a.nickname')
        .select(
          'a.id',
          'a.nickname',
          'a.max_chats',
          t.unscoped.raw("(select count(*)::int from conversations c where c.agent_id = a.id and c.status = 'active') as load"),
          t.unscoped.raw(
            "(select count(*)::int from conversations c where c.agent_id = a.id and c.accepted_at >= (date_trunc('day', ?::timestamptz at time zone ?) at time zone ?)) as today",
            [now, company.timezone, company.timezone],
          ),
        ),
      this.routing.candidates(t.companyId, groupId, settings),
      this.queries.waiting(t),
      t.q('icons').whereNull('deleted_at').orderBy('id').select('id', 'name', 'type', 'group_id', 'options'),
      this.widget.read(t.companyId),
      this.rules.get(t),
    ]);
    const status = new Map(present.map((c) => [c.agentId, c.status]));
    const shown = (s: string | undefined) => (s === 'invisible' && auth.agent.role !== 'admin' ? 'offline' : (s ?? 'offline'));
    const entries = (options: unknown) =>
      ((typeof options === 'string' ? JSON.parse(options) : options) as { entries?: { kind: string; id: number }[] })?.entries ?? [];
    const mine = waiting.filter((c) => c.scopeGroupId === groupId);
    const oldest = mine.reduce((min, c) => Math.min(min, Date.parse(c.createdAt)), now.getTime());
    return {
      members: members.map((m: any) => ({
        agentId: Number(m.id),
        nickname: m.nickname,
        status: shown(status.get(Number(m.id))) as GroupDetail['members'][number]['status'],
        load: Number(m.load),
        cap: m.max_chats ?? settings.defaultCap,
        acceptedToday: Number(m.today),
      })),
      bindings: [
        ...icons.filter((i: any) => Number(i.group_id) === groupId).map((i: any) => ({ kind: 'icon' as const, id: String(i.id), name: i.name })),
        ...icons
          .filter((i: any) => i.type === 'group' && entries(i.options).some((e) => e.kind === 'group' && Number(e.id) === groupId))
          .map((i: any) => ({ kind: 'groupIconEntry' as const, id: String(i.id), name: i.name })),
        ...widget.prechat.questionTypes
          .filter((q) => q.groupId === groupId)
          .map((q) => ({ kind: 'questionType' as const, id: q.id, name: Object.values(q.label)[0] ?? q.id })),
        ...rules.settings.rules.flatMap((r, i) => (r.groupId === groupId ? [{ kind: 'routingRule' as const, id: String(i + 1), name: r.name }] : [])),
      ],
      queue: {
        waiting: mine.map((c) => ({ conversationId: c.id, visitorNumber: c.visitorNumber, visitorName: c.visitorName, createdAt: c.createdAt })),
        longestWaitSeconds: Math.max(0, Math.floor((now.getTime() - oldest) / 1000)),
      },
    };
  }
}
