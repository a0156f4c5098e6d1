import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { AutoReplySettingsService } from './auto-reply-settings.ts';
import { PolicyMessages, type ConversationFacts } from './policy-messages.ts';
import { PolicyState, type DueRow } from './policy-state.ts';

const MAX_PER_CONVERSATION = 3;

/**
 * Agents' automatic messages (CHATSET-WELCOME-1, CHATSET-AUTOREPLY-2): the
 * welcome when an agent starts serving a chat, and the no-reply message when a
 * visitor message waits too long — once per unanswered stretch, at most 3
 * times per conversation, never to a robot-served, held or ended chat.
 */
@injectable()
export class AutoReply {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(PolicyState) private readonly state: PolicyState,
    @inject(AutoReplySettingsService) private readonly settings: AutoReplySettingsService,
    @inject(PolicyMessages) private readonly messages: PolicyMessages,
  ) {}

  /** Accepts and automatic assignments only: not transfers or take-overs, and not after the agent already wrote. */
  async onAssigned(companyId: number, conversationId: number, agentId: number): Promise<void> {
    const s = (await this.settings.read(companyId, agentId)).welcome;
    if (!s.enabled) return;
    const f = await this.messages.facts(companyId, conversationId);
    if (!f || f.status !== 'active' || f.agentId !== agentId || !f.agentNickname) return;
    const wrote = await new Tenant(this.db, companyId).q('messages').where({ conversation_id: conversationId, sender_kind: 'agent' }).first('id');
    if (wrote) return;
    await this.messages.automatic(f, { id: agentId, nickname: f.agentNickname }, `auto-welcome-${conversationId}`, s.text);
  }

  /** A visitor message starts the wait (unless one already runs or fired); a real agent reply ends the stretch. */
  async onMessage(companyId: number, conversationId: number, from: 'visitor' | 'agent', agentId: number | null): Promise<void> {
    if (!agentId) return;
    // Off for the serving agent (the default): `fire` re-checks, so there is nothing to start or reset.
    const s = (await this.settings.read(companyId, agentId)).noReply;
    if (!s.enabled) return;
    if (from === 'agent') {
      await this.state.clear(companyId, conversationId, 'autoreply_due_at is not null or autoreply_fired', { autoreply_due_at: null, autoreply_fired: false });
      return;
    }
    const current = await this.state.get(companyId, conversationId);
    if (current?.autoreply_due_at || current?.autoreply_fired || (current?.autoreply_count ?? 0) >= MAX_PER_CONVERSATION) return;
    await this.state.set(companyId, conversationId, { autoreply_due_at: new Date(this.clock.now().getTime() + s.delaySeconds * 1000) });
  }

  async fireDue(): Promise<void> {
    for (const row of await this.state.claimDue('autoreply_due_at', this.clock.now()))
      await this.fire(row).catch((err) => this.log.error({ err, conversationId: row.conversation_id }, 'automatic reply failed'));
  }

  private async fire(row: DueRow) {
    const f = await this.messages.facts(Number(row.company_id), Number(row.conversation_id));
    if (!f || !this.mayFire(f, row)) return;
    const s = (await this.settings.read(f.companyId, f.agentId!)).noReply;
    if (!s.enabled) return;
    const n = row.autoreply_count + 1;
    await this.state.update(f.companyId, f.id, {}, { autoreply_fired: true, autoreply_count: n });
    await this.messages.automatic(f, { id: f.agentId!, nickname: f.agentNickname! }, `auto-noreply-${f.id}-${n}`, s.text);
  }

  private mayFire(f: ConversationFacts, row: DueRow) {
    return f.status === 'active' && !f.servedByPlugin && f.agentId && f.agentNickname && !row.held_since && row.autoreply_count < MAX_PER_CONVERSATION;
  }
}
