import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';
import { notFound } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import { VisitorService } from '../visitors/visitor-service.ts';
import type { MessageView } from '../protocol/message-schemas.ts';

export interface InboundMessage {
  channel: string;
  externalId: string;
  profile?: { name?: string };
  /** The platform's message id: a redelivered webhook is stored once. */
  clientId: string;
  text: string;
  kind?: 'text' | 'image' | 'file';
  payload?: Record<string, unknown>;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'failed';

/**
 * The one conversation model for every channel (issue 4 item 9): an IM or SMS
 * plugin posts inbound messages here (visitor found or created by external id,
 * normal queue and routing), and receives agent messages through the
 * `channel.deliver` action, reporting back with `reportDelivery`.
 */
@injectable()
export class ChannelService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(VisitorService) private readonly visitors: VisitorService,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  /** Subscribes core to its own `message.created` to hand outgoing messages to channel plugins. */
  start(): () => void {
    return this.hooks.addAction('message.created', async (m, ctx) => {
      if (m.channel === 'web' || m.senderKind === 'visitor') return;
      const t = new Tenant(this.db, ctx.companyId);
      const row = await t
        .q('messages as m')
        .join('conversations as c', 'c.id', 'm.conversation_id')
        .join('visitors as v', 'v.id', 'c.visitor_id')
        .where('m.id', m.messageId)
        .first('v.external_id', 'm.kind', 'm.text', 'm.payload');
      if (!row?.external_id || m.kind === 'whisper') return;
      await t.q('messages').where({ id: m.messageId }).update({ delivery_status: 'pending' });
      await this.hooks.emit(
        'channel.deliver',
        {
          channel: m.channel,
          conversationId: m.conversationId,
          visitorExternalId: row.external_id,
          messageId: m.messageId,
          kind: row.kind,
          text: row.text,
          payload: row.payload,
        },
        ctx,
      );
    });
  }

  async inbound(companyId: number, m: InboundMessage): Promise<{ conversationId: number; message: MessageView }> {
    const visitor = await this.visitors.byExternalId(companyId, m.channel, m.externalId, m.profile);
    const { conversation } = await this.conversations.request(companyId, { id: visitor.id, channel: m.channel });
    const message = await this.conversations.send(
      companyId,
      conversation.id,
      { kind: 'visitor', visitorId: visitor.id },
      { clientId: `${m.channel}:${m.clientId}`.slice(0, 64), kind: m.kind ?? 'text', text: m.text, payload: m.payload ?? null },
    );
    return { conversationId: conversation.id, message };
  }

  async reportDelivery(companyId: number, messageId: number, status: DeliveryStatus, error?: string): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const [row] = await t
      .q('messages')
      .where({ id: messageId })
      .whereNotNull('delivery_status')
      .update({ delivery_status: status, delivery_error: error ?? null })
      .returning(['conversation_id']);
    if (!row) throw notFound('Message not found');
    if (status === 'failed') this.log.warn({ messageId, error }, 'channel delivery failed');
    this.notifier.toAgents(rooms.conversation(Number(row.conversation_id)), 'message.delivery', {
      conversationId: Number(row.conversation_id),
      messageId,
      status,
      error: error ?? null,
    });
  }
}
