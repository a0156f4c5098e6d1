import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, forbiddenCode, notFound } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { FileLinks } from '../files/file-links.ts';
import { MailOutbox } from '../leavemsg/mail-outbox.ts';
import { MailSettingsService } from '../leavemsg/mail-settings-service.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { AntiSpam, type VerificationAnswer } from '../policies/anti-spam.ts';
import type { VisitorRef } from '../visitors/visitor-service.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { toMessageView } from './conversation-mapper.ts';
import { transcriptMail } from './transcript-text.ts';

/** CONV-TRANSCRIPT-40: at most 3 requests per conversation; the visitor cap stops one visitor mailing many short chats to someone. */
export const TRANSCRIPT_LIMITS = { perConversation: 3, perVisitorPerDay: 10 };
/** CONV-EMAIL-39: what agents may send, counted apart from the visitor's own requests. */
export const AGENT_TRANSCRIPT_LIMITS = { perConversation: 10, perAgentPerDay: 50 };
const LINK_TTL_S = 7 * 24 * 3600;

export interface TranscriptRequest {
  conversationId: number;
  email: string;
  language: string;
}

/**
 * 邮件发送记录: the visitor asks for the transcript by e-mail during or after the chat; it goes
 * through the company's mail server (the leave-message mail outbox, retried there) when the
 * conversation ends, or at once if it already has. Built from what the visitor's window shows:
 * whispers never (CONV-WHISPER-37).
 */
@injectable()
export class TranscriptMail {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(WidgetSettingsService) private readonly widget: WidgetSettingsService,
    @inject(FileLinks) private readonly links: FileLinks,
    @inject(AntiSpam) private readonly antiSpam: AntiSpam,
  ) {}

  /** The visitor's request; `ip` and `verification` for the anti-spam check of POLICY-SPAM-4 when it applies. */
  async request(
    visitor: VisitorRef,
    r: TranscriptRequest & { ip: string; verification?: VerificationAnswer },
  ): Promise<{ status: 'sent' | 'scheduled'; remaining: number }> {
    if (!(await this.widget.read(visitor.companyId)).toolbar.emailTranscript) throw forbiddenCode('tool_disabled', 'E-mailing the transcript is switched off');
    if (!(await this.mail.forCompany(visitor.companyId))) throw conflict('smtp_not_configured', 'This company has no mail server');
    await this.antiSpam.admitTranscriptRequest(visitor.companyId, visitor.id, r.ip, r.verification);
    return new Tenant(this.db, visitor.companyId).transaction(async (t) => {
      // The row lock orders this against the conversation's end: a request is either queued here or by onEnded, never both.
      const conv = await t.q('conversations').where({ id: r.conversationId, visitor_id: visitor.id }).forUpdate().first('id', 'status');
      if (!conv) throw notFound('Conversation not found');
      // Agents' sends (CONV-EMAIL-39) have their own limits.
      const used = await this.count(t.q('transcript_requests').where({ conversation_id: r.conversationId }).whereNull('agent_id'));
      if (used >= TRANSCRIPT_LIMITS.perConversation) throw limited('At most 3 transcript e-mails per conversation', TRANSCRIPT_LIMITS.perConversation);
      const since = new Date(this.clock.now().getTime() - 24 * 3600_000);
      const today = await this.count(t.q('transcript_requests').where({ visitor_id: visitor.id }).whereNull('agent_id').where('created_at', '>', since));
      if (today >= TRANSCRIPT_LIMITS.perVisitorPerDay) throw limited('Too many transcript e-mails today', TRANSCRIPT_LIMITS.perVisitorPerDay);
      const [row] = await t
        .insert('transcript_requests', {
          conversation_id: r.conversationId,
          visitor_id: visitor.id,
          email: r.email,
          language: r.language,
          created_at: this.clock.now(),
        })
        .returning('id');
      const ended = conv.status === 'ended';
      if (ended) await this.queue(t, [{ id: Number(row.id), email: r.email, language: r.language }], r.conversationId);
      return { status: ended ? 'sent' : 'scheduled', remaining: TRANSCRIPT_LIMITS.perConversation - used - 1 };
    });
  }

  /**
   * 发送记录 (CONV-EMAIL-39): a participant, an admin or an agent who reads all history e-mails the transcript at
   * once, during or after the chat, to up to 5 addresses; each address is a recorded send.
   */
  async agentSend(auth: AuthInfo, r: { conversationId: number; emails: string[]; language: string }): Promise<{ sent: number; remaining: number }> {
    // Someone who may not read the conversation learns nothing else about it.
    await this.readable(auth, auth.tenant, r.conversationId);
    if (!(await this.mail.forCompany(auth.companyId))) throw conflict('smtp_not_configured', 'This company has no mail server');
    const emails = [...new Set(r.emails.map((e) => e.toLowerCase()))];
    return auth.tenant.transaction(async (t) => {
      const conv = await this.readable(auth, t, r.conversationId, true);
      const used = await this.count(t.q('transcript_requests').where({ conversation_id: r.conversationId }).whereNotNull('agent_id'));
      if (used + emails.length > AGENT_TRANSCRIPT_LIMITS.perConversation)
        throw limited('At most 10 transcript e-mails per conversation', AGENT_TRANSCRIPT_LIMITS.perConversation);
      const since = new Date(this.clock.now().getTime() - 24 * 3600_000);
      const today = await this.count(t.q('transcript_requests').where({ agent_id: auth.agent.id }).where('created_at', '>', since));
      if (today + emails.length > AGENT_TRANSCRIPT_LIMITS.perAgentPerDay)
        throw limited('Too many transcript e-mails today', AGENT_TRANSCRIPT_LIMITS.perAgentPerDay);
      const rows = await t
        .insert(
          'transcript_requests',
          emails.map((email) => ({
            conversation_id: r.conversationId,
            visitor_id: conv.visitor_id,
            agent_id: auth.agent.id,
            email,
            language: r.language,
            created_at: this.clock.now(),
          })),
        )
        .returning('id');
      await this.queue(
        t,
        rows.map((row: { id: number }, i: number) => ({ id: Number(row.id), email: emails[i], language: r.language })),
        r.conversationId,
      );
      return { sent: emails.length, remaining: AGENT_TRANSCRIPT_LIMITS.perConversation - used - emails.length };
    });
  }

  /** Who may mail or see the sends: whoever serves or served it, admins and agents who read all history. */
  private async readable(auth: AuthInfo, t: Tenant, conversationId: number, lock = false) {
    const q = t.q('conversations').where({ id: conversationId });
    const conv = await (lock ? q.forUpdate() : q).first('id', 'visitor_id', 'agent_id');
    const served = async () => !!(await t.q('conversation_segments').where({ conversation_id: conversationId, agent_id: auth.agent.id }).first('id'));
    if (conv && (Number(conv.agent_id) === auth.agent.id || auth.agent.role === 'admin' || auth.can('history.viewAll') || (await served()))) return conv;
    throw notFound('Conversation not found');
  }

  /** The sends recorded on a conversation: who, to whom, when. */
  async sends(auth: AuthInfo, conversationId: number) {
    const t = auth.tenant;
    await this.readable(auth, t, conversationId);
    const rows = await t
      .q('transcript_requests as r')
      .leftJoin('agents as a', 'a.id', 'r.agent_id')
      .where('r.conversation_id', conversationId)
      .orderBy('r.id', 'desc')
      .select('r.email', 'r.created_at', 'r.queued_at', 'r.agent_id', 'a.nickname');
    return rows.map((x: any) => ({
      email: x.email as string,
      agentId: x.agent_id == null ? null : Number(x.agent_id),
      agentNickname: (x.nickname as string | null) ?? null,
      at: new Date(x.created_at).toISOString(),
      queued: x.queued_at != null,
    }));
  }

  /** The `conversation.ended` action: the requests that waited for the end go to the outbox. */
  async onEnded(companyId: number, conversationId: number): Promise<void> {
    await new Tenant(this.db, companyId).transaction(async (t) => {
      const waiting = await t.q('transcript_requests').where({ conversation_id: conversationId }).whereNull('queued_at').forUpdate().skipLocked();
      if (waiting.length) await this.queue(t, waiting, conversationId);
    });
  }

  private async count(q: ReturnType<Tenant['q']>): Promise<number> {
    return Number((await q.count('* as n').first())?.n ?? 0);
  }

  private async queue(t: Tenant, requests: { id: number | string; email: string; language: string }[], conversationId: number) {
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('name', 'timezone');
    const conv = await t.q('conversations').where({ id: conversationId }).first('created_at');
    const rows = await t.q('messages').where({ conversation_id: conversationId }).whereNot('kind', 'whisper').orderBy('seq').limit(5000);
    const messages = rows.map(toMessageView);
    for (const r of requests) {
      const mail = transcriptMail({
        company: company.name,
        timeZone: company.timezone,
        language: r.language,
        startedAt: new Date(conv.created_at).toISOString(),
        messages,
        fileLink: (key) => this.config.derivedPublicUrl + this.links.sign(key, 'file', LINK_TTL_S).url,
      });
      const outboxId = await this.outbox.enqueue(t, { leaveMessageId: null, to: r.email, subject: mail.subject, body: mail.body });
      await t.q('transcript_requests').where({ id: r.id }).update({ outbox_id: outboxId, queued_at: this.clock.now() });
      this.log.info({ companyId: t.companyId, conversationId, outboxId }, 'transcript e-mail queued');
    }
  }
}

const limited = (message: string, limit: number) => new AppError(429, 'rate_limited', message, { limit });
