import type { KefuConfig } from '@kefu/config';
import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { AppError, conflict, fieldError, forbidden, notFound, validationFailed } from '../http/errors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { IconService } from '../icons/icon-service.ts';
import { checkForm } from '../settings/field-rules.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { CONTACT_FIELDS, LEAVE_FIELDS } from '../settings/widget-settings-schema.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService } from './mail-settings-service.ts';
import { makeLimiter, consumeOr429 } from './limits.ts';
import { BlockService } from '../blocking/block-service.ts';
import { filteredLeaveMessages, visibleLeaveMessages, type LeaveMessageFilters } from './leave-message-query.ts';

export interface SubmitInput {
  fields: Record<string, unknown>;
  clientId?: string;
  language?: string;
  pageUrl?: string;
  groupId?: number | null;
  iconKey?: string;
  agentId?: number;
}

export type ListQuery = LeaveMessageFilters & { page: number; pageSize: number };

export interface LeaveMessagePatch {
  status?: 'unreplied' | 'replied';
  type?: string | null;
  note?: string | null;
  handlerId?: number | null;
  version?: number;
}

/** What changed, pushed to every console of the company (LEAVEMSG-LIVE-16); each reloads what it may see. */
export interface LeaveMessagesChanged {
  ids: number[];
  change: 'created' | 'updated' | 'deleted' | 'replying';
  by: number | null;
  /** The new handler, who gets a notification (LEAVEMSG-ASSIGN-7). */
  handlerId?: number;
}

export type BulkAction =
  | { action: 'status'; status: 'unreplied' | 'replied' }
  | { action: 'type'; type: string | null }
  | { action: 'handler'; handlerId: number | null }
  | { action: 'delete' };

const LABELS: Record<string, [string, string]> = {
  name: ['姓名', 'Name'],
  mobile: ['手机', 'Mobile'],
  phone: ['固话', 'Phone'],
  email: ['E_mail', 'E-mail'],
  qq: ['QQ', 'QQ'],
  company: ['公司', 'Company'],
  address: ['地址', 'Address'],
  subject: ['留言主题', 'Subject'],
  content: ['留言内容', 'Message'],
};

export const toLeaveMessage = (r: Record<string, any>) => ({
  id: Number(r.id),
  visitorId: r.visitor_id == null ? null : Number(r.visitor_id),
  channel: r.channel as string,
  name: r.name as string | null,
  email: r.email as string | null,
  phone: r.phone as string | null,
  content: r.content as string,
  fields: (r.fields ?? {}) as Record<string, string>,
  status: r.status as 'unreplied' | 'replied',
  type: r.type as string | null,
  note: r.note as string | null,
  handlerId: r.handler_id == null ? null : Number(r.handler_id),
  handlerName: (r.handler_name ?? null) as string | null,
  groupId: r.group_id == null ? null : Number(r.group_id),
  groupName: (r.group_name ?? null) as string | null,
  language: r.language as string | null,
  ip: r.ip as string | null,
  pageUrl: r.page_url as string | null,
  version: Number(r.version),
  createdAt: new Date(r.created_at).toISOString(),
  repliedAt: r.replied_at ? new Date(r.replied_at).toISOString() : null,
});
export type LeaveMessage = ReturnType<typeof toLeaveMessage>;

/** Leave-messages (LEAVESET-STORE-9, LEAVEMSG §4.2): stored first, then forwarded; a forwarding failure never loses one. */
@injectable()
export class LeaveMessageService {
  /** LEAVESET-RENDER-8: at most 5 leave-messages per visitor per hour. */
  readonly perVisitor;
  /** The public REST form: per address. */
  readonly perIp;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(WidgetSettingsService) private readonly settings: WidgetSettingsService,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(RealtimeNotifier) private readonly realtime: RealtimeNotifier,
    @inject(IconService) private readonly icons: IconService,
    @inject(BlockService) private readonly blocks: BlockService,
  ) {
    this.perVisitor = makeLimiter(db, 'leavemsg_visitor', 5, 3600);
    this.perIp = makeLimiter(db, 'leavemsg_ip', 20, 3600);
  }

  /** LEAVESET-TYPES-6: the replacement chosen for a type about to be deleted; audited with the count. */
  async replaceType(auth: AuthInfo, from: string, to: string | null): Promise<number> {
    const types = (await this.settings.read(auth.companyId)).leaveMessage.types;
    if (to !== null && (to === from || !types.includes(to)))
      throw validationFailed([{ path: 'to', code: 'unknown_type', message: `One of ${types.filter((x) => x !== from).join(', ')}, or null` }]);
    return auth.tenant.transaction(async (t) => {
      const moved = await t.q('leave_messages').where({ type: from }).update({ type: to });
      await this.audit.write(t, {
        actor: auth.agent.id,
        action: 'leavemsg.type.replace',
        target: 'leave_messages',
        old: { type: from, count: moved },
        new: { type: to },
      });
      return moved;
    });
  }

  async submit(companyId: number, input: SubmitInput, meta: { visitorId: number | null; ip: string | null; channel?: string }): Promise<LeaveMessage> {
    const s = (await this.settings.read(companyId)).leaveMessage;
    if (!s.enabled) throw conflict('leave_message_disabled', 'Leave-messages are switched off');
    if (s.externalUrl) throw conflict('leave_message_external', 'This company takes leave-messages on its own page', { url: s.externalUrl });
    // Either kind of block refuses leave-messages; the widget shows it as offline (DISPLAY-BLOCKCHAT-13).
    if (await this.blocks.check(companyId, meta.visitorId, meta.ip)) throw new AppError(403, 'visitor_blocked', 'Leave-messages are not available');
    const t = new Tenant(this.db, companyId);
    if (input.clientId && meta.visitorId) {
      const again = await t.q('leave_messages').where({ visitor_id: meta.visitorId, client_id: input.clientId }).first();
      if (again) return toLeaveMessage(again);
    }
    const { values, problems } = checkForm(input.fields, { ...s.fields, content: { shown: true, required: true } });
    if (s.requireContact && !problems.length && !CONTACT_FIELDS.some((f) => values[f]))
      problems.push({ path: 'fields', code: 'contact_required', message: 'Give at least one of mobile, phone, e-mail, QQ' });
    if (problems.length) throw validationFailed(problems);
    if (meta.visitorId) await consumeOr429(this.perVisitor, `${companyId}:${meta.visitorId}`);

    let groupId: number | null = null;
    if (input.groupId) groupId = (await t.q('groups').where({ id: input.groupId }).first('id')) ? input.groupId : null;
    const handlerId = await this.taggedAgent(t, input);
    const [row] = await t
      .insert('leave_messages', {
        visitor_id: meta.visitorId,
        channel: meta.channel ?? 'web',
        name: values.name ?? null,
        email: values.email ?? null,
        phone: values.mobile ?? values.phone ?? null,
        content: values.content,
        fields: JSON.stringify(values),
        group_id: groupId,
        handler_id: handlerId,
        language: input.language ?? null,
        ip: meta.ip,
        page_url: input.pageUrl ?? null,
        client_id: input.clientId ?? null,
      })
      .returning('*');
    const msg = toLeaveMessage(row);
    this.changed(companyId, { ids: [msg.id], change: 'created', by: null, ...(handlerId ? { handlerId } : {}) });
    // Stored: whatever happens next (hooks, mail) cannot lose it.
    await this.forward(companyId, msg).catch((err) => this.log.error({ err, companyId, leaveMessageId: msg.id }, 'queueing leave-message mail failed'));
    void this.hooks
      .emit(
        'leaveMessage.created',
        { leaveMessageId: msg.id, visitorId: msg.visitorId, channel: msg.channel, groupId: msg.groupId },
        { companyId, actor: { kind: 'visitor', id: msg.visitorId ?? undefined } },
      )
      .catch((err) => this.log.error({ err, leaveMessageId: msg.id }, 'leaveMessage.created failed'));
    return msg;
  }

  /**
   * LEAVEMSG-ASSIGN-7: the agent a new leave-message is tagged with handles it, if enabled — the page icon's bound
   * agent, or the agent entry of the group icon the visitor picked (ICON-GROUP-6; only an agent the icon lists).
   */
  private async taggedAgent(t: Tenant, input: SubmitInput): Promise<number | null> {
    const found = input.iconKey ? await this.icons.byKey(t.companyId, input.iconKey) : null;
    if (!found) return null;
    const { binding, entries } = found.icon;
    const id =
      input.agentId != null
        ? entries.some((e) => e.kind === 'agent' && e.id === input.agentId)
          ? input.agentId
          : null
        : binding.kind === 'agent'
          ? binding.agentId
          : null;
    if (id == null) return null;
    return (await t.q('agents').where({ id }).whereNull('disabled_at').whereNull('deleted_at').first('id')) ? id : null;
  }

  /** LEAVESET-EMAIL-2: one queued mail per recipient, sent by the outbox job (kicked at once). */
  private async forward(companyId: number, m: LeaveMessage) {
    const mail = await this.mail.forCompany(companyId);
    if (!mail?.forwardEnabled || !mail.recipients.length) return;
    const en = m.language?.startsWith('en') ?? false;
    const topic = m.fields.subject || m.content.slice(0, 30);
    const subject = en ? `New message: ${topic}` : `新留言:${topic}`;
    const lines = [...LEAVE_FIELDS, 'content' as const].filter((f) => m.fields[f]).map((f) => `${LABELS[f][en ? 1 : 0]}: ${m.fields[f]}`);
    const meta = [
      `${en ? 'Time' : '时间'}: ${m.createdAt}`,
      m.ip ? `IP: ${m.ip}` : '',
      m.pageUrl ? `${en ? 'Page' : '页面'}: ${m.pageUrl}` : '',
      `${en ? 'Open in the console' : '在控制台查看'}: ${this.config.derivedPublicUrl}/#/leave-messages/${m.id}`,
    ].filter(Boolean);
    const body = [...lines, '', ...meta].join('\n');
    const t = new Tenant(this.db, companyId);
    for (const to of mail.recipients) await this.outbox.enqueue(t, { leaveMessageId: m.id, to, replyTo: m.email, subject, body });
    setImmediate(() => void this.outbox.drain().catch((err) => this.log.warn({ err }, 'mail outbox run failed')));
  }

  /** LEAVEMSG-LIVE-16: every console of the company reloads its counts and open lists; visibility is applied by the reload. */
  changed(companyId: number, e: LeaveMessagesChanged) {
    this.realtime.toAgents(rooms.company(companyId), 'leaveMessages.changed', e);
  }

  /** The list's columns: the handler's nickname and the group's name beside the stored row. */
  private withNames(q: Knex.QueryBuilder): Knex.QueryBuilder {
    return q
      .leftJoin('agents as h', 'h.id', 'l.handler_id')
      .leftJoin('groups as g', 'g.id', 'l.group_id')
      .select('l.*', 'h.nickname as handler_name', 'g.name as group_name');
  }

  async list(auth: AuthInfo, query: ListQuery) {
    const { page, pageSize, ...f } = query;
    const now = this.clock.now();
    const [rows, [{ n }], [{ u }]] = await Promise.all([
      this.withNames(filteredLeaveMessages(auth, f, now))
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'l.id', order: 'desc' },
        ])
        .limit(pageSize)
        .offset((page - 1) * pageSize),
      filteredLeaveMessages(auth, f, now).count({ n: '*' }),
      this.unrepliedQuery(auth).count({ u: '*' }),
    ]);
    return { items: rows.map(toLeaveMessage), total: Number(n), unreplied: Number(u), page, pageSize };
  }

  /** LEAVEMSG-LIST-1: the unreplied leave-messages the agent may see, whatever their age (the menu's count). */
  private unrepliedQuery(auth: AuthInfo) {
    return visibleLeaveMessages(auth).where('l.status', 'unreplied');
  }

  async unreplied(auth: AuthInfo): Promise<number> {
    const [{ u }] = await this.unrepliedQuery(auth).count({ u: '*' });
    return Number(u);
  }

  async options(auth: AuthInfo) {
    const [settings, groups, handlers] = await Promise.all([
      this.settings.read(auth.companyId),
      auth.tenant.q('groups').orderBy('name').select('id', 'name'),
      auth.tenant.q('agents').whereNull('disabled_at').whereNull('deleted_at').orderBy('nickname').select('id', 'nickname'),
    ]);
    return {
      types: settings.leaveMessage.types,
      groups: groups.map((g: any) => ({ id: Number(g.id), name: g.name as string })),
      handlers: handlers.map((a: any) => ({ id: Number(a.id), nickname: a.nickname as string })),
    };
  }

  async get(auth: AuthInfo, id: number): Promise<LeaveMessage> {
    const row = await this.withNames(visibleLeaveMessages(auth).where('l.id', id)).first();
    if (!row) throw notFound('No such leave-message');
    return toLeaveMessage(row);
  }

  /** LEAVEMSG-DETAIL-4: the leave-message with its replies, change log and who is replying now (LEAVEMSG-LOCK-11). */
  async detail(auth: AuthInfo, id: number) {
    const m = await this.get(auth, id);
    const t = auth.tenant;
    const [replies, changes, replying] = await Promise.all([
      t
        .q('leave_message_replies as r')
        .leftJoin('agents as a', 'a.id', 'r.agent_id')
        .leftJoin('mail_outbox as o', 'o.id', 'r.outbox_id')
        .where('r.leave_message_id', id)
        .orderBy('r.id')
        .select('r.*', 'a.nickname as agent_name', 'o.sent_at', 'o.next_attempt_at', 'o.last_error'),
      t
        .q('leave_message_changes as c')
        .leftJoin('agents as a', 'a.id', 'c.agent_id')
        .where('c.leave_message_id', id)
        .orderBy('c.id')
        .select('c.*', 'a.nickname as agent_name'),
      this.replyingNow(t, id, auth.agent.id),
    ]);
    return {
      ...m,
      replies: replies.map((r: any) => ({
        id: Number(r.id),
        channel: r.channel as string,
        to: r.to as string,
        subject: r.subject as string | null,
        body: r.body as string,
        agentId: r.agent_id == null ? null : Number(r.agent_id),
        agentName: (r.agent_name ?? null) as string | null,
        createdAt: new Date(r.created_at).toISOString(),
        state: deliveryState(r),
      })),
      changes: changes.map((c: any) => ({
        field: c.field as string,
        oldValue: c.old_value as string | null,
        newValue: c.new_value as string | null,
        agentId: c.agent_id == null ? null : Number(c.agent_id),
        agentName: (c.agent_name ?? null) as string | null,
        createdAt: new Date(c.created_at).toISOString(),
      })),
      replying,
    };
  }

  /** Another agent's live "is replying" mark, if any (LEAVEMSG-LOCK-11). */
  async replyingNow(t: Tenant, id: number, me: number): Promise<{ agentId: number; nickname: string } | null> {
    const row = await t
      .q('leave_messages as l')
      .join('agents as a', 'a.id', 'l.replying_by')
      .where('l.id', id)
      .whereNot('l.replying_by', me)
      .where('l.replying_until', '>', this.clock.now())
      .first('a.id', 'a.nickname');
    return row ? { agentId: Number(row.id), nickname: row.nickname } : null;
  }

  /**
   * LEAVEMSG-STATUS-5, LEAVEMSG-TYPE-6, LEAVEMSG-ASSIGN-7: status, type (one of LEAVESET-TYPES-6 or null), note
   * and handler; `version` guards stale saves, every change is logged for the detail.
   */
  async update(auth: AuthInfo, id: number, patch: LeaveMessagePatch) {
    const cur = await this.get(auth, id);
    if (patch.version !== undefined && patch.version !== cur.version)
      throw conflict('leavemsg_changed', 'Someone else changed this leave-message; reload and try again', { current: cur });
    if (patch.type) {
      const types = (await this.settings.read(auth.companyId)).leaveMessage.types;
      if (!types.includes(patch.type)) throw validationFailed([{ path: 'type', code: 'unknown_type', message: `One of ${types.join(', ')}` }]);
    }
    if (patch.handlerId != null && patch.handlerId !== cur.handlerId) {
      const agent = await auth.tenant.q('agents').where({ id: patch.handlerId }).whereNull('disabled_at').whereNull('deleted_at').first('id');
      if (!agent) throw fieldError('handlerId', 'unknown_agent', 'Not an enabled agent of this company');
    }
    const row: Record<string, unknown> = { version: cur.version + 1 };
    const log: { field: string; old: string | null; new: string | null }[] = [];
    const set = (field: string, column: string, old: unknown, value: unknown) => {
      if (value === undefined || value === old) return;
      row[column] = value;
      log.push({ field, old: old == null ? null : String(old), new: value == null ? null : String(value) });
    };
    set('type', 'type', cur.type, patch.type);
    set('note', 'note', cur.note, patch.note);
    set('handler', 'handler_id', cur.handlerId, patch.handlerId);
    if (patch.status && patch.status !== cur.status) {
      set('status', 'status', cur.status, patch.status);
      row.replied_at = patch.status === 'replied' ? this.clock.now() : null;
      row.replied_by = patch.status === 'replied' ? auth.agent.id : null;
      if (cur.handlerId == null && patch.handlerId === undefined) set('handler', 'handler_id', null, auth.agent.id);
    }
    const firstReply = await auth.tenant.transaction(async (t) => {
      const n = await t.q('leave_messages').where({ id, version: cur.version }).update(row);
      if (!n) throw new AppError(409, 'leavemsg_changed', 'Someone else changed this leave-message; reload and try again');
      return this.logChanges(t, id, auth.agent.id, log);
    });
    if (log.length) {
      const handlerId = typeof row.handler_id === 'number' && row.handler_id !== auth.agent.id ? row.handler_id : undefined;
      this.changed(auth.companyId, { ids: [id], change: 'updated', by: auth.agent.id, handlerId });
    }
    if (firstReply) this.emitReplied(auth.companyId, id, auth.agent.id, 'manual');
    // Read without the visibility rule: handing it to a colleague may hide it from the caller from now on.
    return toLeaveMessage(await this.withNames(auth.tenant.q('leave_messages as l').where('l.id', id)).first());
  }

  /** Writes the change log; true when this is the first time the leave-message became replied. */
  async logChanges(t: Tenant, id: number, agentId: number, log: { field: string; old: string | null; new: string | null }[]): Promise<boolean> {
    if (!log.length) return false;
    const toReplied = log.some((c) => c.field === 'status' && c.new === 'replied');
    const before = toReplied ? await t.q('leave_message_changes').where({ leave_message_id: id, field: 'status', new_value: 'replied' }).first('id') : null;
    await t.insert(
      'leave_message_changes',
      log.map((c) => ({ leave_message_id: id, agent_id: agentId, field: c.field, old_value: c.old, new_value: c.new })),
    );
    return toReplied && !before;
  }

  /** LEAVEMSG-STATUS-5: `leaveMessage.replied` after commit, the first time only. */
  emitReplied(companyId: number, leaveMessageId: number, by: number, channel: 'email' | 'sms' | 'manual') {
    void this.hooks
      .emit('leaveMessage.replied', { leaveMessageId, by, channel }, { companyId, actor: { kind: 'agent', id: by } })
      .catch((err) => this.log.error({ err, leaveMessageId }, 'leaveMessage.replied failed'));
  }

  /** LEAVEMSG-BULK-12, LEAVEMSG-DELETE-14: up to 500 visible leave-messages, with each one's result. */
  async bulk(auth: AuthInfo, ids: number[], a: BulkAction): Promise<{ results: { id: number; ok: boolean; error?: string }[] }> {
    if (a.action === 'delete') return this.remove(auth, ids);
    if (!auth.can('leavemsg.handle')) throw forbidden('leavemsg.handle');
    const patch: LeaveMessagePatch = a.action === 'status' ? { status: a.status } : a.action === 'type' ? { type: a.type } : { handlerId: a.handlerId };
    const results = [];
    for (const id of ids) {
      try {
        await this.update(auth, id, patch);
        results.push({ id, ok: true });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        results.push({ id, ok: false, error: e.code === 'validation_failed' ? (e.extra.fields?.[0]?.code ?? e.code) : e.code });
      }
    }
    return { results };
  }

  private async remove(auth: AuthInfo, ids: number[]) {
    if (!auth.can('leavemsg.delete')) throw forbidden('leavemsg.delete');
    const deleted = await auth.tenant.transaction(async (t) => {
      const gone = await visibleLeaveMessages({ ...auth, tenant: t })
        .whereIn('l.id', ids)
        .pluck('l.id')
        .then((r) => r.map(Number));
      if (!gone.length) return gone;
      await t.q('leave_messages').whereIn('id', gone).delete();
      await this.audit.write(t, { actor: auth.agent.id, action: 'leavemsg.delete', target: 'leave_messages', old: { ids: gone, count: gone.length } });
      return gone;
    });
    if (deleted.length) {
      this.changed(auth.companyId, { ids: deleted, change: 'deleted', by: auth.agent.id });
      void this.hooks
        .emit('leaveMessage.deleted', { leaveMessageIds: deleted }, { companyId: auth.companyId, actor: { kind: 'agent', id: auth.agent.id } })
        .catch((err) => this.log.error({ err }, 'leaveMessage.deleted failed'));
    }
    const done = new Set(deleted);
    return { results: ids.map((id) => (done.has(id) ? { id, ok: true } : { id, ok: false, error: 'not_found' })) };
  }
}

/** A reply's delivery: 已发送 once sent, 发送失败 once the outbox gave up, else 发送中. */
export const deliveryState = (r: { sent_at?: unknown; next_attempt_at?: unknown; outbox_id?: unknown; channel?: string }) =>
  r.sent_at ? 'sent' : r.outbox_id != null && r.next_attempt_at == null ? 'failed' : r.channel === 'email' ? 'sending' : 'sent';
