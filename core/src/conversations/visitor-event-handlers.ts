import type { DependencyContainer } from '../infra/di.ts';
import { visitorClientEvents } from '../protocol/visitor-events.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { VisitorRef } from '../visitors/visitor-service.ts';
import { PageViewRecorder } from '../visitors/page-view-recorder.ts';
import { BlockService } from '../blocking/block-service.ts';
import { requirePrechat } from '../settings/prechat-handlers.ts';
import { AppError, notFound } from '../http/errors.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { AntiSpam } from '../policies/anti-spam.ts';
import { FloodLimit } from '../policies/flood-limit.ts';
import { EntryScope } from '../icons/entry-scope.ts';
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { QueueTimers } from './queue-timers.ts';
import { LiveView } from './live-view.ts';

export interface VisitorCaller {
  visitor: VisitorRef;
  ip: string;
  userAgent: string;
}

type Handler = { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> };

/** Core's `/visitor` events: every call is checked against the visitor's token (handshake) AND the conversation. */
export function visitorEventHandlers(c: DependencyContainer): Map<string, { spec: Handler }> {
  const db = c.resolve<Db>(TOKENS.Db);
  const conversations = c.resolve(ConversationService);
  const queries = c.resolve(ConversationQueries);
  const notifier = c.resolve(RealtimeNotifier);
  const pageViews = c.resolve(PageViewRecorder);
  const blocks = c.resolve(BlockService);
  const antiSpam = c.resolve(AntiSpam);
  const flood = c.resolve(FloodLimit);
  const entry = c.resolve(EntryScope);
  const queue = c.resolve(QueueTimers);
  const waiting = c.resolve(QueueBroadcaster);
  const liveView = c.resolve(LiveView);
  const E = visitorClientEvents;
  const sender = (v: VisitorRef) => ({ kind: 'visitor' as const, visitorId: v.id });

  const handlers: Record<keyof typeof E, Handler['handler']> = {
    'page.view': async (p, { visitor, ip, userAgent }) => ({ visitId: await pageViews.record(visitor, p, { ip, userAgent }) }),
    'chat.request': async (p, { visitor, ip }) => {
      if (await blocks.check(visitor.companyId, visitor.id, ip)) throw new AppError(403, 'visitor_blocked', 'Chat is not available');
      await requirePrechat(c, visitor);
      await antiSpam.admitChatRequest(visitor.companyId, visitor, ip, p.verification);
      // Service region and icon binding (core/src/icons/entry-scope.ts) decide whether, and for whom, the chat is.
      const scope = await entry.admit(visitor.companyId, visitor.id, ip, p);
      const { conversation } = await conversations.request(visitor.companyId, visitor, scope);
      const position = await queries.position(new Tenant(db, visitor.companyId), conversation);
      return { conversation, position, estimatedWaitMinutes: position ? await waiting.shownEstimate(visitor.companyId) : null };
    },
    'message.send': async (p, { visitor }) => {
      await flood.take(visitor.companyId, visitor.id);
      return { message: await conversations.send(visitor.companyId, p.conversationId, sender(visitor), { clientId: p.clientId, kind: p.kind, text: p.text }) };
    },
    typing: async (p, { visitor }) => {
      await liveView.relay(visitor.companyId, visitor.id, p.conversationId, p.text);
      return {};
    },
    sync: async (p, { visitor }) => conversations.sync(visitor.companyId, p.conversationId, sender(visitor), p.afterSeq),
    'messages.seen': async (p, { visitor }) => {
      const t = new Tenant(db, visitor.companyId);
      const conv = await t.q('conversations').where({ id: p.conversationId, visitor_id: visitor.id }).first('last_seq');
      if (!conv) throw notFound('Conversation not found');
      const seq = Math.min(p.seq, Number(conv.last_seq));
      // Only a step forward is news to the agents; repeats and stale reports change nothing.
      const moved = await t.q('conversations').where({ id: p.conversationId }).where('visitor_seen_seq', '<', seq).update({ visitor_seen_seq: seq });
      if (moved) notifier.toAgents(rooms.conversation(p.conversationId), 'visitor.seen', { conversationId: p.conversationId, seq });
      return {};
    },
    'chat.end': async (p, { visitor }) => ({ conversation: await conversations.end(visitor.companyId, p.conversationId, sender(visitor), 'visitor_ended') }),
    'queue.leave': async (p, { visitor }) => ({ conversation: await queue.leave(visitor.companyId, visitor.id, p.conversationId, p.leaveMessage) }),
    'queue.continue': (p, { visitor }) => queue.keepWaiting(visitor.companyId, visitor.id, p.conversationId),
  };
  return new Map(Object.entries(handlers).map(([name, handler]) => [name, { spec: { schema: E[name as keyof typeof E].payload, handler } }]));
}
