import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict } from '../http/errors.ts';
import { LeaveMessageService } from './leave-message-service.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService } from './mail-settings-service.ts';

/** LEAVEMSG-LOCK-11: the "is replying" mark lapses after this long without typing. */
export const REPLYING_MS = 5 * 60_000;

export const emailReplyBody = z.strictObject({
  /** Default "回复:" plus the leave-message's subject, or "回复:您的留言" / "Re: your message". */
  subject: z.string().trim().min(1).max(200).optional(),
  body: z.string().trim().min(1).max(10_000),
  /** Send although someone else is replying or it is already replied (LEAVEMSG-LOCK-11). */
  confirm: z.boolean().optional(),
});
export type EmailReply = z.output<typeof emailReplyBody>;

const isEmail = (s: string | null | undefined) => !!s && z.email().safeParse(s).success;

/** Replies to the visitor from the console (LEAVEMSG-EMAIL-8) without two agents answering at once (LEAVEMSG-LOCK-11). */
@injectable()
export class LeaveMessageReplies {
  constructor(
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(LeaveMessageService) private readonly service: LeaveMessageService,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
  ) {}

  /** Marks (or, with `active` false, clears) the caller as replying; other consoles show it within a second. */
  async replying(auth: AuthInfo, id: number, active: boolean): Promise<void> {
    // Clearing one's own mark needs no visibility: the leave-message may have been handed to someone else meanwhile.
    if (active) await this.service.get(auth, id);
    const q = auth.tenant.q('leave_messages').where({ id });
    if (active) await q.update({ replying_by: auth.agent.id, replying_until: new Date(this.clock.now().getTime() + REPLYING_MS) });
    else await q.where({ replying_by: auth.agent.id }).update({ replying_by: null, replying_until: null });
    this.service.changed(auth.companyId, { ids: [id], change: 'replying', by: auth.agent.id });
  }

  async sendEmail(auth: AuthInfo, id: number, input: EmailReply) {
    const m = await this.service.get(auth, id);
    if (!isEmail(m.email)) throw conflict('no_email_address', 'This leave-message has no valid e-mail address');
    if (!(await this.mail.forCompany(auth.companyId))) throw conflict('smtp_not_configured', 'Configure a mail server first (留言设置 → 留言转发)');
    if (!input.confirm) {
      const other = await this.service.replyingNow(auth.tenant, id, auth.agent.id);
      if (other) throw conflict('leavemsg_reply_in_progress', `${other.nickname} is replying`, { replying: other });
      if (m.status === 'replied') throw conflict('leavemsg_already_replied', 'This leave-message is already replied');
    }
    const en = m.language?.startsWith('en') ?? false;
    const subject = input.subject ?? (m.fields.subject ? `${en ? 'Re: ' : '回复:'}${m.fields.subject}` : en ? 'Re: your message' : '回复:您的留言');
    const quoted = m.content
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
    const text = `${input.body}\n\n${en ? 'Your message' : '您的留言'} (${m.createdAt}):\n${quoted}`;
    const company = await auth.tenant.unscoped('companies').where({ id: auth.companyId }).first('email');
    const now = this.clock.now();
    const setReplied = m.status === 'unreplied';

    const { replyId, firstReply } = await auth.tenant.transaction(async (t) => {
      const outboxId = await this.outbox.enqueue(t, { leaveMessageId: id, to: m.email!, replyTo: company?.email ?? null, subject, body: text });
      const [reply] = await t
        .insert('leave_message_replies', {
          leave_message_id: id,
          agent_id: auth.agent.id,
          channel: 'email',
          to: m.email,
          subject,
          body: input.body,
          outbox_id: outboxId,
          set_replied: setReplied,
          created_at: now,
        })
        .returning('id');
      const row: Record<string, unknown> = { version: m.version + 1 };
      const log = [];
      if (setReplied) {
        Object.assign(row, { status: 'replied', replied_at: now, replied_by: auth.agent.id });
        log.push({ field: 'status', old: 'unreplied', new: 'replied' });
        if (m.handlerId == null) {
          row.handler_id = auth.agent.id;
          log.push({ field: 'handler', old: null, new: String(auth.agent.id) });
        }
      }
      await t.q('leave_messages').where({ id }).update(row);
      await t.q('leave_messages').where({ id, replying_by: auth.agent.id }).update({ replying_by: null, replying_until: null });
      return { replyId: Number(reply.id), firstReply: await this.service.logChanges(t, id, auth.agent.id, log) };
    });
    this.service.changed(auth.companyId, { ids: [id], change: 'updated', by: auth.agent.id });
    if (firstReply) this.service.emitReplied(auth.companyId, id, auth.agent.id, 'email');
    setImmediate(() => void this.outbox.drain().catch((err) => this.log.warn({ err }, 'mail outbox run failed')));
    return { replyId, leaveMessage: await this.service.get(auth, id) };
  }
}
