import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, forbidden, notFound, rateLimited } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { InvitationView } from '../protocol/collab-events.ts';
import type { ConversationView, MessageView } from '../protocol/message-schemas.ts';
import { LiveVisitors, VISITOR_LEFT_MS } from '../visitors/live-visitors.ts';
import { RegionService } from '../region/region-service.ts';
import type { VisitorRef } from '../visitors/visitor-service.ts';
import { HARD_LIMIT } from './chat-settings.ts';
import { inviteWords } from './invite-words.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import type { InviteSettings } from '../settings/widget-settings-schema.ts';
import { INVITATION_COOLDOWN_MS, INVITATION_UNANSWERED_MS, INVITATIONS_PER_MINUTE, TAKING_STATUSES, toInvitationView, type Actor } from './collab-support.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { RoutingService } from './routing-service.ts';
import { BlockService } from '../blocking/block-service.ts';
import { AvatarService } from '../avatars/avatar-service.ts';

/**
 * Invitations (VISITOR-INVITE-9, INVITE-ACCEPT-8) and proactive chat
 * (VISITOR-PROACTIVE-10). Every invitation is stored with its outcome; a
 * proactive chat is recorded as kind `proactive`, accepted when the visitor
 * first writes and declined when it ends without a word.
 */
@injectable()
export class InvitationService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(WidgetSettingsService) private readonly settings: WidgetSettingsService,
    @inject(BlockService) private readonly blocks: BlockService,
    @inject(LiveVisitors) private readonly live: LiveVisitors,
    @inject(RegionService) private readonly region: RegionService,
    @inject(AvatarService) private readonly avatars: AvatarService,
  ) {}

  async invite(actor: Actor, visitorId: number, text?: string): Promise<InvitationView> {
    const t = new Tenant(this.db, actor.companyId);
    const s = (await this.settings.read(actor.companyId)).invite;
    if (!s.enabled) throw conflict('invite_disabled', 'Invitations are switched off in the invitation window settings');
    await this.browsingVisitor(t, visitorId);
    await this.ensureAvailable(actor);
    const now = this.clock.now();
    const pending = await t.q('invitations').where({ visitor_id: visitorId, kind: 'invite', status: 'pending' }).first();
    if (pending && !(await this.expireIfDue(t, pending)))
      throw conflict('invitation_pending', 'This visitor already has a pending invitation', { agentId: Number(pending.agent_id) });
    const cooldownSince = new Date(now.getTime() - INVITATION_COOLDOWN_MS);
    if (await t.q('invitations').where({ visitor_id: visitorId, status: 'declined' }).where('responded_at', '>', cooldownSince).first('id'))
      throw conflict('invitation_cooldown', 'The visitor declined an invitation less than a minute ago');
    const [{ n }] = await t
      .q('invitations')
      .where({ agent_id: actor.agentId, kind: 'invite' })
      .where('created_at', '>', new Date(now.getTime() - 60_000))
      .count<{ n: string }[]>('* as n');
    if (Number(n) >= INVITATIONS_PER_MINUTE) throw rateLimited(60);
    let row: any;
    try {
      [row] = await t
        .insert('invitations', {
          visitor_id: visitorId,
          agent_id: actor.agentId,
          kind: 'invite',
          status: 'pending',
          text: text ?? null,
          created_at: now,
          expires_at: this.expiry(s),
        })
        .returning('*');
    } catch (err: any) {
      if (err?.code === '23505') throw conflict('invitation_pending', 'This visitor already has a pending invitation');
      throw err;
    }
    return this.show(t, row, s, actor.nickname);
  }

  /**
   * An automatic invitation fired by rule `strategy` (1-based, INVITE-STRATEGY-4); no agent invites.
   * Null when an invitation is already pending for the visitor.
   */
  async autoInvite(t: Tenant, visitorId: number, s: InviteSettings, strategy: number): Promise<InvitationView | null> {
    const row = {
      visitor_id: visitorId,
      agent_id: null,
      kind: 'invite',
      status: 'pending',
      strategy,
      created_at: this.clock.now(),
      expires_at: this.expiry(s),
    };
    try {
      return this.show(t, (await t.insert('invitations', row).returning('*'))[0], s, null);
    } catch (err: any) {
      if (err?.code === '23505') return null;
      throw err;
    }
  }

  /** INVITE-POPUP-2 自动邀请延时: 0 shows until answered, within a bound so a vanished visitor's invitation still closes. */
  private expiry(s: InviteSettings): Date {
    return new Date(this.clock.now().getTime() + (s.displaySeconds ? s.displaySeconds * 1000 : INVITATION_UNANSWERED_MS));
  }

  /** Pushes the invitation to the visitor in their language, with the pop-up mode and duration (INVITE-TEXT-5, INVITE-POPUP-2), and tells the consoles. */
  private async show(t: Tenant, row: any, s: InviteSettings, nickname: string | null): Promise<InvitationView> {
    const invitation = toInvitationView(row, nickname);
    const visitor = await t.q('visitors').where({ id: row.visitor_id }).first('language');
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('visitor_language');
    const words = inviteWords(s, visitor?.language ?? null, company?.visitor_language ?? 'zh-CN', { strategy: row.strategy, text: invitation.text });
    // INVITE-STYLE-6: a manual invitation shows its agent's avatar and name while avatars are on (else this is a 404).
    const agent =
      row.agent_id == null
        ? null
        : await this.avatars
            .agentForVisitor(t.companyId, Number(row.agent_id))
            .catch((err) => (err instanceof AppError && err.status === 404 ? null : Promise.reject(err)));
    this.notifier.toVisitors(rooms.visitor(invitation.visitorId), 'invitation', {
      invitation: { id: invitation.id, agentNickname: nickname, agent, ...words, auto: row.strategy != null, mode: s.mode, displaySeconds: s.displaySeconds },
    });
    this.notifier.toAgents(rooms.company(t.companyId), 'invitation.changed', { invitation });
    await this.live.push(t.companyId, invitation.visitorId);
    return invitation;
  }

  /** The visitor's answer; accepting opens a chat that goes first to the inviter when they can take it (INVITE-ACCEPT-8). */
  async respond(visitor: VisitorRef, invitationId: number, accept: boolean): Promise<{ conversation: ConversationView | null }> {
    const t = new Tenant(this.db, visitor.companyId);
    const row = await t.q('invitations').where({ id: invitationId, visitor_id: visitor.id, kind: 'invite' }).first();
    if (!row) throw notFound('Invitation not found');
    if (row.status === 'pending') await this.expireIfDue(t, row);
    const [done] = await t
      .q('invitations')
      .where({ id: invitationId, status: 'pending' })
      .update({ status: accept ? 'accepted' : 'declined', responded_at: this.clock.now() })
      .returning('*');
    if (!done) throw conflict('invitation_closed', 'This invitation is no longer open');
    let conversation: ConversationView | null = null;
    if (accept) {
      const inviter = done.agent_id == null ? null : await this.inviter(t, Number(done.agent_id));
      conversation = inviter
        ? await this.openServed(t, visitor, inviter, 'invitation')
        : (await this.conversations.request(visitor.companyId, visitor, { initiator: 'invitation' })).conversation;
      await t.q('invitations').where({ id: invitationId }).update({ conversation_id: conversation.id });
    }
    await this.tellAgents(t, { ...done, conversation_id: conversation?.id ?? null });
    return { conversation };
  }

  /** Opens an active chat served by the agent at once, with the agent's first message if any (VISITOR-PROACTIVE-10). */
  async proactive(actor: Actor, visitorId: number, text?: string): Promise<{ conversation: ConversationView; message: MessageView | null }> {
    if (!actor.can('conversation.accept')) throw forbidden('conversation.accept');
    const t = new Tenant(this.db, actor.companyId);
    const v = await this.browsingVisitor(t, visitorId);
    await this.ensureAvailable(actor);
    const [{ n }] = await t.q('conversations').where({ agent_id: actor.agentId, status: 'active' }).count<{ n: string }[]>('* as n');
    if (Number(n) >= HARD_LIMIT) throw conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`);
    const visitor: VisitorRef = { id: visitorId, companyId: actor.companyId, number: Number(v.number), channel: v.channel };
    let conversation = await this.openServed(t, visitor, { id: actor.agentId, nickname: actor.nickname }, 'proactive');
    await t.insert('invitations', {
      visitor_id: visitorId,
      agent_id: actor.agentId,
      kind: 'proactive',
      status: 'pending',
      text: text ?? null,
      created_at: this.clock.now(),
      conversation_id: conversation.id,
    });
    const sender = { kind: 'agent' as const, agentId: actor.agentId, nickname: actor.nickname, isAdmin: actor.isAdmin };
    const message = text
      ? await this.conversations.send(actor.companyId, conversation.id, sender, { clientId: `proactive:${conversation.id}`, kind: 'text', text })
      : null;
    if (message) conversation = await this.queries.one(t, conversation.id);
    this.notifier.toVisitors(rooms.visitor(visitorId), 'proactive.open', { conversation, agent: { nickname: actor.nickname }, message });
    return { conversation, message };
  }

  /** Pending invitations past their display time expire (cron job; tests call it). */
  async sweep(): Promise<number> {
    // A system job reads across companies; each row is then handled within its own.
    const due = await this.db('invitations').where({ status: 'pending', kind: 'invite' }).where('expires_at', '<=', this.clock.now()).select('*');
    let n = 0;
    for (const row of due) if (await this.expireIfDue(new Tenant(this.db, Number(row.company_id)), row)) n++;
    return n;
  }

  /** `message.created`: a proactive chat counts as accepted once the visitor writes. */
  async onVisitorMessage(companyId: number, conversationId: number) {
    await this.settleProactive(companyId, conversationId, 'accepted');
  }

  /** `conversation.ended`: a proactive chat the visitor never answered counts as declined. */
  async onEnded(companyId: number, conversationId: number) {
    await this.settleProactive(companyId, conversationId, 'declined');
  }

  private async settleProactive(companyId: number, conversationId: number, status: 'accepted' | 'declined') {
    const t = new Tenant(this.db, companyId);
    const rows = await t
      .q('invitations')
      .where({ conversation_id: conversationId, kind: 'proactive', status: 'pending' })
      .update({ status, responded_at: this.clock.now() })
      .returning('*');
    for (const r of rows) await this.tellAgents(t, r);
  }

  private async expireIfDue(t: Tenant, row: any): Promise<boolean> {
    if (!row.expires_at || this.clock.now() < new Date(row.expires_at)) return false;
    const [done] = await t
      .q('invitations')
      .where({ id: row.id, status: 'pending' })
      .update({ status: 'expired', responded_at: this.clock.now() })
      .returning('*');
    if (!done) return true;
    this.notifier.toVisitors(rooms.visitor(Number(done.visitor_id)), 'invitation.closed', { invitationId: Number(done.id) });
    await this.tellAgents(t, done);
    return true;
  }

  private async tellAgents(t: Tenant, row: any) {
    const agent = row.agent_id == null ? null : await t.q('agents').where({ id: row.agent_id }).first('nickname');
    const invitation = toInvitationView(row, agent?.nickname ?? null);
    if (invitation.agentId) this.notifier.toAgents(rooms.agent(invitation.agentId), 'invitation.answered', { invitation });
    this.notifier.toAgents(rooms.company(t.companyId), 'invitation.changed', { invitation });
    // The row's 已邀请 mark follows (TOOLBAR-VISITORBTNS-6).
    if (invitation.kind === 'invite') await this.live.push(t.companyId, invitation.visitorId);
  }

  /** The visitor exists here, is on the site and has no open conversation. */
  private async browsingVisitor(t: Tenant, visitorId: number) {
    const v = await t.q('visitors').where({ id: visitorId }).first('id', 'number', 'channel', 'last_seen_at', 'last_ip');
    if (!v) throw notFound('Visitor not found');
    // The agent is told why (DISPLAY-BLOCKCHAT-13); the visitor never learns of the block.
    const block = await this.blocks.match(t.companyId, visitorId, v.last_ip);
    if (block)
      throw conflict('visitor_blocked', block.endsAt ? `This visitor is blocked until ${block.endsAt.toISOString()}` : 'This visitor is blocked', {
        kind: block.kind,
        endsAt: block.endsAt?.toISOString() ?? null,
        note: block.note,
      });
    if (this.clock.now().getTime() - new Date(v.last_seen_at).getTime() > VISITOR_LEFT_MS) throw conflict('visitor_offline', 'The visitor has left the site');
    if (await t.q('conversations').where({ visitor_id: visitorId }).whereNot('status', 'ended').first('id'))
      throw conflict('visitor_busy', 'The visitor is already waiting or chatting');
    if (!(await this.region.servedTest(t.companyId))(v.last_ip)) throw conflict('region_not_served', 'The visitor is outside the service region');
    return v;
  }

  /** Present, and 在线, 忙碌 or 隐身; 离开 has its own code (TOOLBAR-AWAY-11). */
  private async ensureAvailable(actor: Pick<Actor, 'companyId' | 'agentId'>): Promise<void> {
    const me = (await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId))).find((c) => c.agentId === actor.agentId);
    if (me?.status === 'away') throw conflict('agent_away', 'You are away: set yourself online, busy or invisible first');
    if (!me || !(TAKING_STATUSES as readonly string[]).includes(me.status)) throw conflict('agent_unavailable', 'Set yourself online, busy or invisible first');
  }

  /** The inviter, if they can take the chat now (present, allowed, below the hard limit). */
  private async inviter(t: Tenant, agentId: number): Promise<{ id: number; nickname: string } | null> {
    const me = (await this.routing.candidates(t.companyId, null, await this.routing.settings(t.companyId))).find((c) => c.agentId === agentId);
    if (!me || !me.canAccept || !(TAKING_STATUSES as readonly string[]).includes(me.status) || me.load >= HARD_LIMIT) return null;
    const a = await t.q('agents').where({ id: agentId }).first('nickname');
    return a ? { id: agentId, nickname: a.nickname } : null;
  }

  /** Creates a conversation already served by `agent` (unique open-conversation index: a race is visitor_busy). */
  private async openServed(
    t: Tenant,
    visitor: VisitorRef,
    agent: { id: number; nickname: string },
    initiator: 'invitation' | 'proactive',
  ): Promise<ConversationView> {
    const now = this.clock.now();
    let id: number;
    try {
      const [row] = await t
        .insert('conversations', {
          visitor_id: visitor.id,
          channel: visitor.channel,
          status: 'active',
          initiator,
          agent_id: agent.id,
          created_at: now,
          accepted_at: now,
        })
        .returning('id');
      id = Number(row.id);
    } catch (err: any) {
      if (err?.code === '23505') throw conflict('visitor_busy', 'The visitor is already waiting or chatting');
      throw err;
    }
    this.notifier.joinConversation(id, { visitorId: visitor.id, agentId: agent.id });
    const conversation = await this.queries.one(t, id);
    this.notifier.toVisitors(rooms.visitor(visitor.id), 'conversation.updated', { conversation });
    this.notifier.toAgents(rooms.agent(agent.id), 'conversation.updated', { conversation });
    const ctx = { companyId: t.companyId, actor: { kind: 'agent' as const, id: agent.id } };
    await this.hooks.emit('conversation.created', { conversationId: id, visitorId: visitor.id, channel: visitor.channel }, ctx);
    await this.hooks.emit(
      'conversation.assigned',
      { conversationId: id, agentId: agent.id, by: 'manual', scope: { groupId: conversation.scopeGroupId }, waitMs: 0 },
      ctx,
    );
    await this.hooks.emit('conversation.accepted', { conversationId: id, agentId: agent.id }, ctx);
    return conversation;
  }
}
