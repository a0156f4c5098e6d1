import nodemailer from 'nodemailer';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { MailSettingsService } from './mail-settings-service.ts';

export interface OutgoingMail {
  leaveMessageId: number | null;
  to: string;
  replyTo?: string | null;
  subject: string;
  body: string;
}

/**
 * Outgoing e-mail (LEAVESET-EMAIL-2): queued in `mail_outbox` in the same
 * database as what it reports on, sent by the `core:mail-outbox` job, retried
 * with exponential backoff and jitter. A failure is logged and never touches
 * the leave-message it belongs to.
 */
@injectable()
export class MailOutbox {
  /** First retry after about this long, then doubling (±20 % jitter): 4, 8, 16 min → 3 retries within ~30 min. */
  baseDelayMs = 4 * 60_000;
  maxAttempts = 4;
  /** A claimed row is not picked again for this long, even if the node dies mid-send. */
  leaseMs = 5 * 60_000;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(RealtimeNotifier) private readonly realtime: RealtimeNotifier,
  ) {}

  /** Queues one mail; returns its id. */
  async enqueue(t: Tenant, m: OutgoingMail): Promise<number> {
    const [row] = await t
      .insert('mail_outbox', {
        leave_message_id: m.leaveMessageId,
        to: m.to,
        reply_to: m.replyTo ?? null,
        subject: m.subject,
        body: m.body,
        next_attempt_at: this.clock.now(),
      })
      .returning('id');
    return Number(row.id);
  }

  backoffMs(attempts: number): number {
    const base = this.baseDelayMs * 2 ** Math.max(0, attempts - 1);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Sends what is due; returns how many were sent. Rows are claimed first so two runners never send one mail twice. */
  async drain(limit = 20): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.db.raw(
      `update mail_outbox set attempts = attempts + 1, next_attempt_at = ?
        where id in (select id from mail_outbox where sent_at is null and next_attempt_at <= ?
                     order by next_attempt_at limit ? for update skip locked)
        returning *`,
      [new Date(now.getTime() + this.leaseMs), now, limit],
    );
    let sent = 0;
    for (const row of rows) if (await this.sendOne(row)) sent++;
    return sent;
  }

  private async sendOne(row: Record<string, any>): Promise<boolean> {
    const companyId = Number(row.company_id);
    try {
      const mail = await this.mail.forCompany(companyId);
      if (!mail) throw new Error('smtp_not_configured');
      const transport = nodemailer.createTransport(mail.transport);
      try {
        await transport.sendMail({
          from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
          to: row.to,
          replyTo: row.reply_to ?? undefined,
          subject: row.subject,
          text: row.body,
        });
      } finally {
        transport.close();
      }
      await this.db('mail_outbox').where({ id: row.id }).update({ sent_at: this.clock.now(), next_attempt_at: null, last_error: null });
      this.log.info({ companyId, mailId: row.id, leaveMessageId: row.leave_message_id }, 'mail sent');
      return true;
    } catch (err) {
      const attempts = Number(row.attempts);
      const giveUp = attempts >= this.maxAttempts;
      const message = String((err as Error)?.message ?? err).slice(0, 1000);
      await this.db('mail_outbox')
        .where({ id: row.id })
        .update({ last_error: message, next_attempt_at: giveUp ? null : new Date(this.clock.now().getTime() + this.backoffMs(attempts)) });
      this.log[giveUp ? 'error' : 'warn']({ companyId, mailId: row.id, attempts, err: message }, giveUp ? 'mail failed; giving up' : 'mail failed; will retry');
      if (giveUp) await this.replyFailed(new Tenant(this.db, companyId), Number(row.id));
      return false;
    }
  }

  /**
   * LEAVEMSG-EMAIL-8: a reply that finally failed returns its leave-message to 未回复 when that reply set
   * 已回复 (and nothing set it again since), and its sender is told.
   */
  private async replyFailed(t: Tenant, mailId: number) {
    const reply = await t.q('leave_message_replies').where({ outbox_id: mailId }).first();
    if (!reply) return;
    const id = Number(reply.leave_message_id);
    const reverted = reply.set_replied
      ? await t
          .q('leave_messages')
          .where({ id, status: 'replied', replied_at: reply.created_at })
          .update({ status: 'unreplied', replied_at: null, replied_by: null, version: this.db.raw('version + 1') })
      : 0;
    if (reverted)
      await t.insert('leave_message_changes', { leave_message_id: id, agent_id: null, field: 'status', old_value: 'replied', new_value: 'unreplied' });
    this.realtime.toAgents(rooms.company(t.companyId), 'leaveMessages.changed', { ids: [id], change: 'updated', by: null });
    if (reply.agent_id)
      this.realtime.toAgents(rooms.agent(Number(reply.agent_id)), 'leaveMessages.replyFailed', { id, replyId: Number(reply.id), error: 'mail_failed' });
  }
}
