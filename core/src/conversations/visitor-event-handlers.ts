import type { DependencyContainer } from '../infra/di.ts';
import { visitorClientEvents } from '../protocol/visitor-events.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { VisitorService, type VisitorRef } from '../visitors/visitor-service.ts';
import { describeVisit } from '../visitors/describe-visit.ts';
import { LiveVisitors } from '../visitors/live-visitors.ts';
import { BlockService } from '../blocking/block-service.ts';
import { AppError } from '../http/errors.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';

export interface VisitorCaller {
  visitor: VisitorRef;
  ip: string;
  userAgent: string;
}

type Handler = { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> };

/** Core's `/visitor` events: every call is checked against the visitor's token (handshake) AND the conversation. */
export function visitorEventHandlers(c: DependencyContainer): Map<string, { spec: Handler }> {
  const db = c.resolve<Db>(TOKENS.Db);
  const visitors = c.resolve(VisitorService);
  const conversations = c.resolve(ConversationService);
  const queries = c.resolve(ConversationQueries);
  const notifier = c.resolve(RealtimeNotifier);
  const live = c.resolve(LiveVisitors);
  const blocks = c.resolve(BlockService);
  const E = visitorClientEvents;
  const sender = (v: VisitorRef) => ({ kind: 'visitor' as const, visitorId: v.id });

  const handlers: Record<keyof typeof E, Handler['handler']> = {
    'page.view': async (p, { visitor, ip, userAgent }) => {
      const { bot, ...info } = describeVisit({ ip, userAgent, referrer: p.referrer, url: p.url, language: p.language });
      // Crawlers, headless browsers and fully blocked visitors never reach the visitor list (VISITOR-ARRIVE-2, DISPLAY-BLOCKVISITOR-12).
      if (bot || (await blocks.check(visitor.companyId, visitor.id, ip)) === 'visitor') return { visitId: 0 };
      const { visitId } = await visitors.pageView(visitor, p, info);
      const row = await live.one(visitor.companyId, visitor.id);
      if (row) notifier.toAgents(rooms.company(visitor.companyId), 'visitor.updated', { visitor: row });
      return { visitId };
    },
    'chat.request': async (p, { visitor, ip }) => {
      if (await blocks.check(visitor.companyId, visitor.id, ip)) throw new AppError(403, 'visitor_blocked', 'Chat is not available');
      const { conversation } = await conversations.request(visitor.companyId, visitor, { groupId: p.groupId ?? null });
      return { conversation, position: await queries.position(new Tenant(db, visitor.companyId), conversation) };
    },
    'message.send': async (p, { visitor }) => ({
      message: await conversations.send(visitor.companyId, p.conversationId, sender(visitor), { clientId: p.clientId, kind: p.kind, text: p.text }),
    }),
    typing: async (p, { visitor }) => {
      const conv = await new Tenant(db, visitor.companyId)
        .q('conversations')
        .where({ id: p.conversationId, visitor_id: visitor.id })
        .whereNot('status', 'ended')
        .first('id');
      if (conv) notifier.toAgents(rooms.conversation(p.conversationId), 'visitor.typing', { conversationId: p.conversationId, text: p.text });
      return {};
    },
    sync: async (p, { visitor }) => conversations.sync(visitor.companyId, p.conversationId, sender(visitor), p.afterSeq),
    'chat.end': async (p, { visitor }) => ({ conversation: await conversations.end(visitor.companyId, p.conversationId, sender(visitor), 'visitor_ended') }),
  };
  return new Map(Object.entries(handlers).map(([name, handler]) => [name, { spec: { schema: E[name as keyof typeof E].payload, handler } }]));
}
