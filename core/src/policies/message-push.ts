import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { ConversationHold } from './conversation-hold.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { PushOutbox } from './push-outbox.ts';

/**
 * POLICY-PUSH-11: while a conversation is held, the agent's messages (and,
 * when chosen, its end) are pushed to the company's app — only for visitors
 * that a plugin (member-sso) vouches for as logged-in members.
 */
@injectable()
export class MessagePush {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
    @inject(ConversationHold) private readonly hold: ConversationHold,
    @inject(PushOutbox) private readonly outbox: PushOutbox,
  ) {}

  async onAgentMessage(companyId: number, conversationId: number, messageId: number): Promise<void> {
    const push = (await this.settings.read(companyId)).push;
    if (!push.enabled || !push.events.agentMessage || !(await this.hold.isHeld(companyId, conversationId))) return;
    const t = new Tenant(this.db, companyId);
    const m = await t.q('messages').where({ id: messageId }).first();
    if (!m || m.kind === 'whisper' || m.kind === 'system') return;
    const data = await this.recipient(t, conversationId);
    if (!data) return;
    await this.outbox.enqueue(t, {
      eventId: `evt_msg_${messageId}`,
      type: 'message.created',
      conversationId,
      data: {
        ...data,
        message: {
          id: Number(m.id),
          seq: Number(m.seq),
          kind: m.kind,
          text: m.text,
          file: m.payload?.url ?? null,
          agentName: m.sender_name,
          time: new Date(m.created_at).toISOString(),
        },
      },
    });
  }

  async onEnded(companyId: number, conversationId: number, reason: string): Promise<void> {
    const push = (await this.settings.read(companyId)).push;
    if (!push.enabled || !push.events.conversationEnded || !(await this.hold.isHeld(companyId, conversationId))) return;
    const t = new Tenant(this.db, companyId);
    const data = await this.recipient(t, conversationId);
    if (data) await this.outbox.enqueue(t, { eventId: `evt_end_${conversationId}`, type: 'conversation.ended', conversationId, data: { ...data, reason } });
  }

  /** Who the push is for; null when no plugin vouches for the visitor as a member (P2-A34). */
  private async recipient(t: Tenant, conversationId: number) {
    const c = await t
      .q('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .join('companies as co', 'co.id', 'c.company_id')
      .where('c.id', conversationId)
      .first('c.visitor_id', 'v.number', 'co.public_id');
    if (!c) return null;
    const f = await this.hooks.runFilter(
      'visitor.verifiedMember',
      { visitorId: Number(c.visitor_id), memberId: null },
      { companyId: t.companyId, actor: { kind: 'system' } },
    );
    if (f.halted || !f.value.memberId) return null;
    return { company: Number(c.public_id), conversation: conversationId, memberId: f.value.memberId, visitorId: Number(c.number) };
  }
}
