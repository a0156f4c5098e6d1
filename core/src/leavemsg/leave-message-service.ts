import type { KefuConfig } from '@kefu/config';
import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { AppError, conflict, notFound, validationFailed } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { checkForm } from '../settings/field-rules.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { CONTACT_FIELDS, LEAVE_FIELDS } from '../settings/widget-settings-schema.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService } from './mail-settings-service.ts';
import { makeLimiter, consumeOr429 } from './limits.ts';

export interface SubmitInput {
  fields: Record<string, unknown>;
  clientId?: string;
  language?: string;
  pageUrl?: string;
  groupId?: number | null;
}

export interface ListQuery {
  status?: 'unreplied' | 'replied';
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

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
  groupId: r.group_id == null ? null : Number(r.group_id),
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
  ) {
    this.perVisitor = makeLimiter(db, 'leavemsg_visitor', 5, 3600);
    this.perIp = makeLimiter(db, 'leavemsg_ip', 20, 3600);
  }

  async submit(companyId: number, input: SubmitInput, meta: { visitorId: number | null; ip: string | null; channel?: string }): Promise<LeaveMessage> {
    const s = (await this.settings.read(companyId)).leaveMessage;
    if (!s.enabled) throw conflict('leave_message_disabled', 'Leave-messages are switched off');
    if (s.externalUrl) throw conflict('leave_message_external', 'This company takes leave-messages on its own page', { url: s.externalUrl });
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
        language: input.language ?? null,
        ip: meta.ip,
        page_url: input.pageUrl ?? null,
        client_id: input.clientId ?? null,
      })
      .returning('*');
    const msg = toLeaveMessage(row);
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

  /** LEAVEMSG-VISIBILITY-3: all with `leavemsg.viewAll` (admins), else mine, unassigned of my groups and unassigned without group. */
  private visible(auth: AuthInfo, q: Knex.QueryBuilder): Knex.QueryBuilder {
    if (auth.can('leavemsg.viewAll')) return q;
    const me = auth.agent.id;
    return q.where((w) =>
      w
        .where('l.handler_id', me)
        .orWhere((u) =>
          u
            .whereNull('l.handler_id')
            .andWhere((g) =>
              g.whereNull('l.group_id').orWhereIn('l.group_id', auth.tenant.unscoped('group_members').where({ agent_id: me }).select('group_id')),
            ),
        ),
    );
  }

  async list(auth: AuthInfo, query: ListQuery) {
    const base = () => this.visible(auth, auth.tenant.q('leave_messages as l'));
    const filtered = () => {
      const q = base();
      if (query.status) q.where('l.status', query.status);
      if (query.from) q.where('l.created_at', '>=', query.from);
      if (query.to) q.where('l.created_at', '<', query.to);
      return q;
    };
    const [rows, [{ n }], [{ u }]] = await Promise.all([
      filtered()
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'l.id', order: 'desc' },
        ])
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize)
        .select('l.*'),
      filtered().count({ n: '*' }),
      base().where('l.status', 'unreplied').count({ u: '*' }),
    ]);
    return { items: rows.map(toLeaveMessage), total: Number(n), unreplied: Number(u), page: query.page, pageSize: query.pageSize };
  }

  async get(auth: AuthInfo, id: number): Promise<LeaveMessage> {
    const row = await this.visible(auth, auth.tenant.q('leave_messages as l')).where('l.id', id).first('l.*');
    if (!row) throw notFound('No such leave-message');
    return toLeaveMessage(row);
  }

  /** LEAVEMSG-STATUS-5, LEAVEMSG-TYPE-6: status, type (one of LEAVESET-TYPES-6 or null) and note; `version` guards stale saves. */
  async update(auth: AuthInfo, id: number, patch: { status?: 'unreplied' | 'replied'; type?: string | null; note?: string | null; version?: number }) {
    const cur = await this.get(auth, id);
    if (patch.version !== undefined && patch.version !== cur.version)
      throw conflict('leavemsg_changed', 'Someone else changed this leave-message; reload and try again', { current: cur });
    if (patch.type) {
      const types = (await this.settings.read(auth.companyId)).leaveMessage.types;
      if (!types.includes(patch.type)) throw validationFailed([{ path: 'type', code: 'unknown_type', message: `One of ${types.join(', ')}` }]);
    }
    const row: Record<string, unknown> = { version: cur.version + 1 };
    if (patch.type !== undefined) row.type = patch.type;
    if (patch.note !== undefined) row.note = patch.note;
    if (patch.status && patch.status !== cur.status) {
      row.status = patch.status;
      row.replied_at = patch.status === 'replied' ? new Date() : null;
      row.replied_by = patch.status === 'replied' ? auth.agent.id : null;
      if (cur.handlerId == null) row.handler_id = auth.agent.id;
    }
    const n = await auth.tenant.q('leave_messages').where({ id, version: cur.version }).update(row);
    if (!n) throw new AppError(409, 'leavemsg_changed', 'Someone else changed this leave-message; reload and try again');
    return this.get(auth, id);
  }
}
