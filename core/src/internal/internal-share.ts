import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { HistoryService } from '../history/history-service.ts';
import type { MessageView } from '../protocol/message-schemas.ts';

/** 发给同事 (SPEC INTERNAL-SHARE-8): a card naming a visitor conversation; never its transcript. */
export interface ConversationCard {
  conversationId: number;
  visitorName: string;
  startedAt: string;
  agentNickname: string | null;
  /** The last text the visitor or an agent sent, cut to 100 characters. */
  excerpt: string | null;
}

const EXCERPT = 100;

@injectable()
export class InternalShare {
  constructor(@inject(HistoryService) private readonly history: HistoryService) {}

  /** The sender must see the conversation themselves (HISTORY-VISIBILITY-5); otherwise it does not exist: `404 not_found`. */
  async card(auth: AuthInfo, conversationId: number): Promise<ConversationCard> {
    const { conversation: c, messages } = await this.history.detail(auth, conversationId);
    const last = messages.findLast((m: MessageView) => m.kind === 'text' && m.text && (m.senderKind === 'visitor' || m.senderKind === 'agent'));
    return {
      conversationId: c.id,
      visitorName: c.visitor.name ?? `#${c.visitor.number}`,
      startedAt: c.startedAt,
      agentNickname: c.agents.at(-1)?.nickname ?? null,
      excerpt: last?.text ? last.text.slice(0, EXCERPT) : null,
    };
  }
}
