import type { KefuConfig } from '@kefu/config';
import type { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AppError, conflict, forbidden, notFound } from '../http/errors.ts';
import { MailOutbox } from '../leavemsg/mail-outbox.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { feedbackState, operatorListQuery, submitBody } from './feedback-schemas.ts';

const DAILY_LIMIT = 10;
const REOPEN_DAYS = 30;
const DAY_MS = 86_400_000;

type State = z.infer<typeof feedbackState>;
type Responder = { kind: 'operator' } | { kind: 'admin'; auth: AuthInfo };

const iso = (d: unknown) => (d == null ? null : new Date(d as string).toISOString());

/**
 * Feedback to whoever runs the server (FEEDBACK §9.4): agents submit items and
 * follow up; the operator (or, with KEFU_FEEDBACK_TO_ADMINS, each company's own
 * admins) replies and sets states. Nothing leaves the server unless the operator
 * sets KEFU_FEEDBACK_EMAIL. A reply pushes `feedback.replied {itemId}` to the
 * submitter's consoles and e-mails them when they have an address; mail goes
 * through the company's outbox, so a mail failure never loses the item.
 */
@injectable()
export class FeedbackService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
  ) {}

  /** Admins answer their company's items only in in-house mode (FEEDBACK-LOCAL-6). */
  adminsAnswer(auth: AuthInfo) {
    return this.config.KEFU_FEEDBACK_TO_ADMINS && auth.agent.role === 'admin';
  }

  async submit(auth: AuthInfo, body: z.infer<typeof submitBody>) {
    const since = new Date(this.clock.now().getTime() - DAY_MS);
    const [{ count }] = await auth.tenant
      .q('feedback_items')
      .where({ agent_id: auth.agent.id })
      .where('created_at', '>', since)
      .count<{ count: string }[]>('* as count');
    if (Number(count) >= DAILY_LIMIT) throw new AppError(429, 'rate_limited', `At most ${DAILY_LIMIT} feedback items a day`, { limit: DAILY_LIMIT });
    const id = await auth.tenant.transaction(async (t) => {
      const now = this.clock.now();
      const [row] = await t
        .insert('feedback_items', {
          agent_id: auth.agent.id,
          type: body.type,
          title: body.title,
          contact: body.contact ?? null,
          diagnostics: body.diagnostics ? JSON.stringify(body.diagnostics) : null,
          created_at: now,
          updated_at: now,
        })
        .returning('id');
      const itemId = Number(row.id);
      await t.insert('feedback_messages', {
        item_id: itemId,
        author_kind: 'submitter',
        author_agent_id: auth.agent.id,
        content: body.content,
        created_at: now,
      });
      const to = this.config.KEFU_FEEDBACK_EMAIL;
      if (to)
        await this.outbox.enqueue(t, {
          leaveMessageId: null,
          to,
          subject: `[Kefu feedback #${itemId}] ${body.title}`,
          body: `Company ${auth.companyPublicId}, agent ${auth.agent.agentId} (${body.type})\nContact: ${body.contact ?? '-'}\n\n${body.content}`,
        });
      return itemId;
    });
    return this.detail(auth.companyId, id);
  }

  /** My items, newest first; admins see every item of their company (FEEDBACK-LIST-3). */
  async list(auth: AuthInfo) {
    const q = this.summaries().where('f.company_id', auth.companyId);
    if (auth.agent.role !== 'admin') q.where('f.agent_id', auth.agent.id);
    return (await q).map((r) => this.summary(r, auth));
  }

  /** Reads an item; the submitter opening it clears the unread-replies badge. */
  async read(auth: AuthInfo, id: number) {
    const item = await this.visible(auth, id);
    if (Number(item.agent_id) === auth.agent.id && item.unread_replies > 0) await auth.tenant.q('feedback_items').where({ id }).update({ unread_replies: 0 });
    const d = await this.detail(auth.companyId, id);
    return Number(item.agent_id) === auth.agent.id ? { ...d, unreadReplies: 0 } : d;
  }

  /** The submitter follows up; in in-house mode an admin's message is a reply. */
  async addFromConsole(auth: AuthInfo, id: number, content: string) {
    const item = await this.visible(auth, id);
    if (Number(item.agent_id) === auth.agent.id) {
      this.assertOpen(item);
      await this.append(item, { kind: 'submitter', agentId: auth.agent.id }, content, item.state === 'replied' ? 'in_progress' : item.state);
      return this.detail(auth.companyId, id);
    }
    if (!this.adminsAnswer(auth)) throw forbidden('admin', 'Replies come from the server operator');
    return this.reply({ kind: 'admin', auth }, id, content);
  }

  async reply(by: Responder, id: number, content: string) {
    const item = await this.find(id, by.kind === 'admin' ? by.auth.companyId : undefined);
    this.assertOpen(item);
    await this.append(item, by.kind === 'admin' ? { kind: 'admin', agentId: by.auth.agent.id } : { kind: 'operator', agentId: null }, content, 'replied', true);
    this.notifier.toAgents(rooms.agent(Number(item.agent_id)), 'feedback.replied', { itemId: id });
    const submitter = await this.db('agents').where({ id: item.agent_id }).first('email');
    if (submitter?.email)
      await this.outbox.enqueue(new Tenant(this.db, Number(item.company_id)), {
        leaveMessageId: null,
        to: submitter.email,
        subject: `Re: ${item.title}`,
        body: `${content}\n\n(Feedback #${id}; answer it in the console under 反馈问题.)`,
      });
    return this.detail(Number(item.company_id), id);
  }

  /** The submitter closes, or reopens within 30 days of closing (FEEDBACK-THREAD-4). */
  async closeOrReopen(auth: AuthInfo, id: number, action: 'close' | 'reopen') {
    const item = await this.visible(auth, id);
    if (Number(item.agent_id) !== auth.agent.id && !this.adminsAnswer(auth)) throw forbidden('admin', 'Only the submitter may do this');
    if (action === 'reopen') {
      if (item.state !== 'closed') throw conflict('feedback_not_closed', 'The item is not closed');
      if (this.clock.now().getTime() - new Date(item.closed_at).getTime() > REOPEN_DAYS * DAY_MS)
        throw conflict('reopen_expired', `Items can be reopened within ${REOPEN_DAYS} days of closing`);
    }
    await this.setState(id, action === 'close' ? 'closed' : 'in_progress', auth.companyId);
    return this.detail(auth.companyId, id);
  }

  async setState(id: number, state: State, companyId?: number) {
    await this.find(id, companyId);
    const now = this.clock.now();
    await this.db('feedback_items')
      .where({ id })
      .update({ state, updated_at: now, closed_at: state === 'closed' ? now : null });
    return this.detail(companyId ?? Number((await this.find(id)).company_id), id);
  }

  /** Operator inbox: every company's items, filtered (FEEDBACK-OPERATOR-5). */
  async operatorList(f: z.infer<typeof operatorListQuery>) {
    const q = this.summaries();
    if (f.company) q.where('c.public_id', f.company);
    if (f.type) q.where('f.type', f.type);
    if (f.state) q.where('f.state', f.state);
    if (f.from) q.where('f.created_at', '>=', new Date(`${f.from}T00:00:00Z`));
    if (f.to) q.where('f.created_at', '<', new Date(new Date(`${f.to}T00:00:00Z`).getTime() + DAY_MS));
    return (await q.limit(5000)).map((r) => this.summary(r));
  }

  async operatorRead(id: number) {
    const item = await this.find(id);
    return this.detail(Number(item.company_id), id);
  }

  private summaries() {
    return this.db('feedback_items as f')
      .join('agents as a', 'a.id', 'f.agent_id')
      .join('companies as c', 'c.id', 'f.company_id')
      .select('f.*', 'a.agent_id as submitter_agent_id', 'a.nickname as submitter_nickname', 'c.public_id as company_public_id')
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id', 'desc');
  }

  private summary(r: any, viewer?: AuthInfo) {
    return {
      id: Number(r.id),
      companyId: Number(r.company_public_id),
      type: r.type,
      title: r.title,
      state: r.state,
      submitter: { id: Number(r.agent_id), agentId: r.submitter_agent_id, nickname: r.submitter_nickname },
      // The badge is the submitter's; others reading the list see no unread count.
      unreadReplies: !viewer || Number(r.agent_id) === viewer.agent.id ? r.unread_replies : 0,
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
    };
  }

  private async detail(companyId: number, id: number) {
    const r = await this.summaries().where('f.company_id', companyId).where('f.id', id).first();
    if (!r) throw notFound('Feedback not found');
    const messages = await this.db('feedback_messages as m')
      .leftJoin('agents as a', 'a.id', 'm.author_agent_id')
      .where('m.company_id', companyId)
      .where('m.item_id', id)
      .orderBy('m.id')
      .select('m.*', 'a.nickname');
    return {
      ...this.summary(r),
      contact: r.contact,
      diagnostics: r.diagnostics ?? null,
      closedAt: iso(r.closed_at),
      messages: messages.map((m) => ({
        id: Number(m.id),
        author: m.author_kind,
        authorName: m.author_kind === 'operator' ? null : m.nickname,
        content: m.content,
        createdAt: iso(m.created_at)!,
      })),
    };
  }

  /** The submitter sees their own items; admins their company's; nobody another company's (404). */
  private async visible(auth: AuthInfo, id: number) {
    const item = await this.find(id, auth.companyId);
    if (Number(item.agent_id) !== auth.agent.id && auth.agent.role !== 'admin') throw notFound('Feedback not found');
    return item;
  }

  private async find(id: number, companyId?: number) {
    const q = this.db('feedback_items').where({ id });
    if (companyId !== undefined) q.where({ company_id: companyId });
    const item = await q.first();
    if (!item) throw notFound('Feedback not found');
    return item;
  }

  private assertOpen(item: { state: string }) {
    if (item.state === 'closed') throw conflict('feedback_closed', 'The item is closed; reopen it first');
  }

  private async append(
    item: { id: number; company_id: number },
    author: { kind: 'submitter' | 'operator' | 'admin'; agentId: number | null },
    content: string,
    state: string,
    isReply = false,
  ) {
    const now = this.clock.now();
    await this.db.transaction(async (trx) => {
      await trx('feedback_messages').insert({
        company_id: item.company_id,
        item_id: item.id,
        author_kind: author.kind,
        author_agent_id: author.agentId,
        content,
        created_at: now,
      });
      await trx('feedback_items')
        .where({ id: item.id })
        .update({ state, updated_at: now, ...(isReply ? { unread_replies: trx.raw('unread_replies + 1') } : {}) });
    });
  }
}
