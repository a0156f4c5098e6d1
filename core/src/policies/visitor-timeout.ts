import { inject, injectable } from '../infra/di.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import { TIMEOUT_TEXTS } from './policy-defaults.ts';
import { PolicyMessages } from './policy-messages.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { textFor } from './policy-settings-schema.ts';
import { PolicyState, type DueRow } from './policy-state.ts';

const pick = (stage: 'first' | 'second') =>
  Object.fromEntries(Object.entries(TIMEOUT_TEXTS).map(([l, t]) => [l, t[stage]])) as Record<keyof typeof TIMEOUT_TEXTS, string>;
const BUILT_IN = { first: pick('first'), second: pick('second') };

/**
 * POLICY-TIMEOUT-1: after an agent's or the robot's message, T1 seconds of
 * visitor silence bring the first prompt, T2 more the second prompt and the
 * end (`visitor_timeout`). A visitor message cancels; values are taken when
 * the count starts, so a change applies from the next agent message.
 */
@injectable()
export class VisitorTimeout {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(PolicyState) private readonly state: PolicyState,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
    @inject(PolicyMessages) private readonly messages: PolicyMessages,
    @inject(ConversationService) private readonly conversations: ConversationService,
  ) {}

  /** An agent (real, not automatic) or robot message starts the count again; a visitor message stops it. */
  async onMessage(companyId: number, conversationId: number, from: 'visitor' | 'answer'): Promise<void> {
    // Off (the default): no deadline is set, and `fire` drops any left from before, so nothing to reset either.
    const s = (await this.settings.read(companyId)).timeout;
    if (!s.enabled) return;
    if (from === 'visitor') {
      await this.state.clear(companyId, conversationId, 'timeout_due_at is not null or timeout_stage <> 0', { timeout_stage: 0, timeout_due_at: null });
      return;
    }
    await this.state.set(companyId, conversationId, {
      timeout_stage: 1,
      timeout_due_at: new Date(this.clock.now().getTime() + s.firstSeconds * 1000),
      timeout_second_seconds: s.secondSeconds,
    });
  }

  /** Fires what is due: the first prompt arms the second; the second ends the chat. */
  async fireDue(): Promise<void> {
    for (const row of await this.state.claimDue('timeout_due_at', this.clock.now()))
      await this.fire(row).catch((err) => this.log.error({ err, conversationId: row.conversation_id }, 'visitor timeout failed'));
  }

  private async fire(row: DueRow) {
    const companyId = Number(row.company_id);
    const f = await this.messages.facts(companyId, Number(row.conversation_id));
    // Nothing runs while the chat waits in the queue (a robot-served chat is "queued" too, and counts).
    if (!f || f.status === 'ended' || (f.status === 'queued' && !f.servedByPlugin)) return;
    const s = (await this.settings.read(companyId)).timeout;
    if (!s.enabled) return;
    const stage = row.timeout_stage === 2 ? 'second' : 'first';
    const text = textFor(s[stage], BUILT_IN[stage], f.visitorLanguage, f.companyLanguage);
    await this.messages.system(f, `timeout-${f.id}-${stage}-${new Date(row.due).getTime()}`, text);
    if (stage === 'first') {
      const after = (row.timeout_second_seconds ?? s.secondSeconds) * 1000;
      // Unless the visitor wrote meanwhile (stage back to 0), the second prompt follows.
      await this.state.update(companyId, f.id, { timeout_stage: 1 }, { timeout_stage: 2, timeout_due_at: new Date(this.clock.now().getTime() + after) });
      return;
    }
    await this.state.update(companyId, f.id, {}, { timeout_stage: 0 });
    await this.conversations.end(companyId, f.id, { kind: 'system' }, 'visitor_timeout');
  }
}
