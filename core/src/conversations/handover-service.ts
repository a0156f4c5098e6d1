import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { ConversationView } from '../protocol/message-schemas.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { MonitorService } from './monitor-service.ts';

/**
 * What follows, after the commit, when a conversation changed hands by an
 * accepted transfer or a takeover (CONV-TRANSFER-31, CONV-TAKEOVER-38): the new
 * agent's sockets join the room, a system line tells the visitor (neither the
 * welcome nor the closing text is sent), both agents and the visitor get the new
 * state, the previous agent leaves the room, and `conversation.assigned` fires.
 */
@injectable()
export class HandoverService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(MonitorService) private readonly monitors: MonitorService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  async moved(
    companyId: number,
    conversationId: number,
    fromId: number,
    to: { id: number; nickname: string },
    by: 'transfer' | 'takeover',
    o: { clientId: string; waitMs: number },
  ): Promise<ConversationView> {
    const t = new Tenant(this.db, companyId);
    this.notifier.joinConversation(conversationId, { agentId: to.id });
    try {
      // Sent while the previous agent is still in the room, so both sides see the line (CONV-TRANSFER-33).
      await this.conversations.send(
        companyId,
        conversationId,
        { kind: 'system' },
        {
          clientId: o.clientId,
          kind: 'system',
          text: `已为您转接至客服 ${to.nickname}`,
          payload: { event: by, fromAgentId: fromId, toAgentId: to.id, agentNickname: to.nickname },
        },
      );
    } catch (err) {
      // The move is committed; a filter refusing the line must not undo or hide it.
      this.log.warn({ err, conversationId }, 'handover system line not sent');
    }
    const conversation = await this.queries.one(t, conversationId);
    this.notifier.toVisitors(rooms.visitor(conversation.visitorId), 'conversation.updated', { conversation });
    for (const a of [fromId, to.id]) this.notifier.toAgents(rooms.agent(a), 'conversation.updated', { conversation });
    await this.monitors.afterMove(companyId, conversationId, fromId, to.id);
    await this.hooks.emit(
      'conversation.assigned',
      { conversationId, agentId: to.id, by, scope: { groupId: conversation.scopeGroupId }, waitMs: Math.max(0, o.waitMs) },
      { companyId, actor: { kind: 'agent', id: to.id } },
    );
    return conversation;
  }
}
