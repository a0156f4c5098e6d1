import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { AuditService } from '../accounts/audit-service.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, type FieldProblem, notFound, rateLimited, validationFailed } from '../http/errors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { ManagedNoticeView, NoticeInput, NoticeRecipients, NoticeView } from './notice-schemas.ts';

const DAY = 24 * 3600 * 1000;
const MAX_AHEAD = 365 * DAY;
const DEFAULT_LENGTH = 7 * DAY;
const LIST_DAYS = 90 * DAY;
/** NOTICE-LIMITS-8: scheduled or active notices per company, notices per publisher per day, and retention after the end. */
export const MAX_OPEN_NOTICES = 100;
export const MAX_PER_PUBLISHER_DAY = 20;
const RETENTION = 365 * DAY;

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const ids = (a: unknown) => ((a as (string | number)[] | null) ?? []).map(Number);
const recipientsOf = (r: any): NoticeRecipients => ({ everyone: !!r.everyone, groupIds: ids(r.group_ids), agentIds: ids(r.agent_ids) });

const hasRecipients = (r: NoticeRecipients) => r.everyone || r.groupIds.length > 0 || r.agentIds.length > 0;
const noRecipients: FieldProblem = { path: 'recipients', code: 'no_recipients', message: 'Choose everyone, groups or agents' };

function toView(r: any): NoticeView {
  return {
    id: Number(r.id),
    title: r.title,
    content: r.content,
    important: !!r.important,
    publisherId: Number(r.publisher_id),
    publisherNickname: r.publisher_nickname ?? '',
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at)!,
  };
}

/**
 * Notices to agents (SPEC NOTICE): publish to everyone, groups or named agents
 * for a window; delivered live at the start (at once when it starts now, else
 * by the `core:notices` job), listed with read state, with receipts for the
 * publisher and admins. Recipients are resolved whenever asked, so membership
 * changes during the window count (NOTICE-RECIPIENTS-2).
 */
@injectable()
export class NoticeService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(AuditService) private readonly audit: AuditService,
  ) {}

  async publish(auth: AuthInfo, input: NoticeInput): Promise<ManagedNoticeView> {
    const t = auth.tenant;
    // Every wrong field at once: the window and the recipients.
    const { startsAt, endsAt, fields } = this.window(input.startsAt, input.endsAt);
    if (!hasRecipients(input)) fields.push(noRecipients);
    if (fields.length) throw validationFailed(fields);
    const rec = await this.checkRecipients(t, input);
    await this.checkLimits(t, auth.agent.id);
    const [row] = await t
      .insert('notices', {
        publisher_id: auth.agent.id,
        title: input.title,
        content: input.content,
        important: input.important,
        everyone: rec.everyone,
        group_ids: rec.groupIds,
        agent_ids: rec.agentIds,
        starts_at: startsAt,
        ends_at: endsAt,
        created_at: this.clock.now(),
      })
      .returning('*');
    await this.audit.write(t, {
      actor: auth.agent.id,
      action: 'notice.publish',
      target: `notice:${row.id}`,
      new: { title: input.title, ...rec, startsAt, endsAt },
    });
    if (startsAt.getTime() <= this.clock.now().getTime()) await this.deliver(t, row);
    return this.managed(t, Number(row.id));
  }

  private async checkLimits(t: Tenant, publisherId: number) {
    const now = this.clock.now();
    const [{ n }] = await t.q('notices').whereNull('withdrawn_at').where('ends_at', '>', now).count('* as n');
    if (Number(n) >= MAX_OPEN_NOTICES) throw conflict('notice_limit', `At most ${MAX_OPEN_NOTICES} notices may be scheduled or active at once`);
    const today = await t
      .q('notices')
      .where({ publisher_id: publisherId })
      .where('created_at', '>', new Date(now.getTime() - DAY))
      .orderBy('created_at', 'desc')
      .limit(MAX_PER_PUBLISHER_DAY)
      .select('created_at');
    if (today.length < MAX_PER_PUBLISHER_DAY) return;
    const oldest = new Date(today[today.length - 1].created_at).getTime();
    throw rateLimited(Math.max(1, Math.ceil((oldest + DAY - now.getTime()) / 1000)));
  }

  /** The `core:notices-purge` job: notices (and, by cascade, their receipts) a year after their end. */
  async purgeExpired(): Promise<number> {
    return this.db('notices')
      .where('ends_at', '<', new Date(this.clock.now().getTime() - RETENTION))
      .delete();
  }

  /** How many agents the recipients resolve to now (shown before publishing, NOTICE-COMPOSE-1). */
  async countRecipients(t: Tenant, rec: NoticeRecipients): Promise<number> {
    const checked = await this.checkRecipients(t, rec);
    const [{ n }] = await this.recipientsQuery(t, checked).count('* as n');
    return Number(n);
  }

  /** The caller's notices with read state, newest first. */
  async mine(auth: AuthInfo, scope: 'active' | 'recent'): Promise<{ items: (NoticeView & { readAt: string | null })[]; unread: number }> {
    const rows = await this.addressedToMe(auth, scope).orderBy([
      { column: 'n.starts_at', order: 'desc' },
      { column: 'n.id', order: 'desc' },
    ]);
    const items: (NoticeView & { readAt: string | null })[] = rows.map((r: any) => ({ ...toView(r), readAt: iso(r.read_at) }));
    return { items, unread: items.filter((i) => !i.readAt).length };
  }

  /** Pressing 我知道了 or opening it in the list; every tab of the agent closes the box. */
  async markRead(auth: AuthInfo, id: number): Promise<{ readAt: string }> {
    const t = auth.tenant;
    const notice = await this.addressedToMe(auth, 'recent').where('n.id', id).first();
    if (!notice) throw notFound('Notice not found');
    await t.insert('notice_reads', { notice_id: id, agent_id: auth.agent.id, read_at: this.clock.now() }).onConflict(['notice_id', 'agent_id']).ignore();
    const read = await t.q('notice_reads').where({ notice_id: id, agent_id: auth.agent.id }).first('read_at');
    const readAt = iso(read.read_at)!;
    this.notifier.toAgents(rooms.agent(auth.agent.id), 'notice.read', { noticeId: id, readAt });
    return { readAt };
  }

  /** 已读 x / 未读 y and each current recipient with read time (NOTICE-READ-5). */
  async receipts(auth: AuthInfo, id: number, state?: 'read' | 'unread') {
    const t = auth.tenant;
    const notice = await this.ownOrAdmin(auth, id);
    const rows = await this.recipientsQuery(t, recipientsOf(notice))
      .leftJoin('notice_reads as r', (j) => j.on('r.agent_id', '=', 'agents.id').andOn('r.notice_id', '=', t.unscoped.raw('?', [id])))
      .orderBy('agents.id')
      .select('agents.id', 'agents.agent_id', 'agents.name', 'agents.nickname', 'r.read_at');
    const all: { agentId: number; agentLogin: string; name: string; nickname: string; readAt: string | null }[] = rows.map((r: any) => ({
      agentId: Number(r.id),
      agentLogin: r.agent_id,
      name: r.name,
      nickname: r.nickname,
      readAt: iso(r.read_at),
    }));
    const read = all.filter((r) => r.readAt).length;
    const recipients = state ? all.filter((r) => (state === 'read') === !!r.readAt) : all;
    return { read, unread: all.length - read, recipients };
  }

  /** 撤回: gone from every console; receipts stay visible to the publisher (NOTICE-MANAGE-7). */
  async withdraw(auth: AuthInfo, id: number): Promise<ManagedNoticeView> {
    const t = auth.tenant;
    await this.ownOrAdmin(auth, id);
    const done = await t.q('notices').where({ id }).whereNull('withdrawn_at').update({ withdrawn_at: this.clock.now() }).returning('id');
    if (done.length) {
      await this.audit.write(t, { actor: auth.agent.id, action: 'notice.withdraw', target: `notice:${id}` });
      this.notifier.toAgents(rooms.company(t.companyId), 'notice.withdrawn', { noticeId: id });
    }
    return this.managed(t, id);
  }

  /**
   * The `core:notices` job: every notice whose start has come and that nobody
   * delivered yet. It spans companies, so it reads the table unscoped and then
   * works through each notice's own Tenant.
   */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db('notices')
      .whereNull('delivered_at')
      .whereNull('withdrawn_at')
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .orderBy('starts_at')
      .limit(500);
    let delivered = 0;
    for (const row of due) if (await this.deliver(new Tenant(this.db, Number(row.company_id)), row)) delivered++;
    return delivered;
  }

  /** The conditional update is the claim: of two nodes (or the publish call and the job) one wins and pushes. */
  private async deliver(t: Tenant, row: any): Promise<boolean> {
    const won = await t
      .q('notices')
      .where({ id: row.id })
      .whereNull('delivered_at')
      .whereNull('withdrawn_at')
      .update({ delivered_at: this.clock.now() })
      .returning('id');
    if (!won.length) return false;
    const publisher = await t.q('agents').where({ id: row.publisher_id }).first('nickname');
    const payload = { notice: toView({ ...row, publisher_nickname: publisher?.nickname }) };
    const rec = recipientsOf(row);
    // Everyone: the company room reaches every open console (signed-in agents are enabled ones).
    if (rec.everyone) this.notifier.toAgents(rooms.company(t.companyId), 'notice', payload);
    else for (const a of await this.recipientsQuery(t, rec).select('agents.id')) this.notifier.toAgents(rooms.agent(Number(a.id)), 'notice', payload);
    return true;
  }

  /** Enabled, not deleted agents the recipients resolve to now. */
  private recipientsQuery(t: Tenant, rec: NoticeRecipients): Knex.QueryBuilder {
    const q = t.q('agents').whereNull('agents.deleted_at').whereNull('agents.disabled_at');
    if (rec.everyone) return q;
    return q.where((w) => {
      w.whereIn('agents.id', rec.agentIds);
      if (rec.groupIds.length) w.orWhereIn('agents.id', t.q('group_members').whereIn('group_id', rec.groupIds).select('agent_id'));
    });
  }

  /** Notices addressed to the caller, started and not withdrawn; `active` also not ended. */
  private addressedToMe(auth: AuthInfo, scope: 'active' | 'recent') {
    const t = auth.tenant;
    const me = auth.agent.id;
    const now = this.clock.now();
    const endAfter = scope === 'active' ? now : new Date(now.getTime() - LIST_DAYS);
    return t
      .q('notices as n')
      .join('agents as p', 'p.id', 'n.publisher_id')
      .leftJoin('notice_reads as r', (j) => j.on('r.notice_id', '=', 'n.id').andOn('r.agent_id', '=', t.unscoped.raw('?::bigint', [me])))
      .whereNull('n.withdrawn_at')
      .where('n.starts_at', '<=', now)
      .where('n.ends_at', '>', endAfter)
      .where((w) =>
        w
          .where('n.everyone', true)
          .orWhereRaw('?::bigint = any(n.agent_ids)', [me])
          .orWhereRaw('n.group_ids && array(select gm.group_id from group_members gm where gm.agent_id = ? and gm.company_id = ?)', [me, t.companyId]),
      )
      .select('n.*', 'p.nickname as publisher_nickname', 'r.read_at');
  }

  /** The publisher manages their own notices, admins all; anyone else is told it does not exist. */
  private async ownOrAdmin(auth: AuthInfo, id: number) {
    const row = await auth.tenant.q('notices').where({ id }).first();
    if (!row || (Number(row.publisher_id) !== auth.agent.id && auth.agent.role !== 'admin')) throw notFound('Notice not found');
    return row;
  }

  private async managed(t: Tenant, id: number): Promise<ManagedNoticeView> {
    const row = await t.q('notices as n').join('agents as p', 'p.id', 'n.publisher_id').where('n.id', id).first('n.*', 'p.nickname as publisher_nickname');
    if (!row) throw notFound('Notice not found');
    const now = this.clock.now().getTime();
    const rec = recipientsOf(row);
    const state = row.withdrawn_at
      ? 'withdrawn'
      : new Date(row.starts_at).getTime() > now
        ? 'scheduled'
        : new Date(row.ends_at).getTime() <= now
          ? 'ended'
          : 'active';
    return {
      ...toView(row),
      ...rec,
      state,
      deliveredAt: iso(row.delivered_at),
      withdrawnAt: iso(row.withdrawn_at),
      createdAt: iso(row.created_at)!,
      recipientCount: await this.countRecipients(t, rec),
    };
  }

  /** NOTICE-COMPOSE-1: start defaults to now (a past start means now), end to start + 7 days. */
  private window(start?: string, end?: string): { startsAt: Date; endsAt: Date; fields: FieldProblem[] } {
    const now = this.clock.now();
    const startsAt = start && new Date(start).getTime() > now.getTime() ? new Date(start) : now;
    const endsAt = end ? new Date(end) : new Date(startsAt.getTime() + DEFAULT_LENGTH);
    const fields: FieldProblem[] = [];
    if (startsAt.getTime() - now.getTime() > MAX_AHEAD)
      fields.push({ path: 'startsAt', code: 'start_too_far', message: 'The start is at most 365 days ahead' });
    if (endsAt.getTime() <= startsAt.getTime()) fields.push({ path: 'endsAt', code: 'end_before_start', message: 'The end must be after the start' });
    else if (endsAt.getTime() - startsAt.getTime() > MAX_AHEAD)
      fields.push({ path: 'endsAt', code: 'end_too_far', message: 'The end is at most 365 days after the start' });
    return { startsAt, endsAt, fields };
  }

  /** At least one recipient; named groups and agents must be this company's (else 404, existence is never leaked). */
  private async checkRecipients(t: Tenant, rec: NoticeRecipients): Promise<NoticeRecipients> {
    const groupIds = [...new Set(rec.groupIds)];
    const agentIds = [...new Set(rec.agentIds)];
    if (!hasRecipients(rec)) throw validationFailed([noRecipients]);
    if (groupIds.length && (await t.q('groups').whereIn('id', groupIds).select('id')).length !== groupIds.length) throw notFound('Group not found');
    if (agentIds.length && (await t.q('agents').whereIn('id', agentIds).whereNull('deleted_at').select('id')).length !== agentIds.length)
      throw notFound('Agent not found');
    return { everyone: rec.everyone, groupIds, agentIds };
  }
}
