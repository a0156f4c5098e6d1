import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, notFound, rateLimited } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { MessageStore } from '../conversations/message-store.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import type { MessageView } from '../protocol/message-schemas.ts';

/** EVAL-RATING-8: five levels, an optional comment; stored as `rating` messages, the latest one counts. */
export const ratingSubmit = z.strictObject({
  conversationId: z.number().int().positive(),
  clientId: z.string().trim().min(8).max(64),
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(500).optional(),
});
export const ratingPush = z.strictObject({ conversationId: z.number().int().positive() });

const LABELS = ['', 'very dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'very satisfied'];
const CHANGE_WINDOW_MS = 24 * 3600_000;
const PUSH_GAP_MS = 60_000;
const MAX_PUSHES = 3;

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

const latestRating = (t: Tenant, conversationId: number) =>
  t.q('messages').where({ conversation_id: conversationId, kind: 'rating', sender_kind: 'visitor' }).orderBy('seq', 'desc').first('id');

/**
 * The visitor's satisfaction rating (EVAL-RATING-8) and the agent's push of the
 * survey (EVAL-PUSH-9). A rating is a `rating` message from the visitor
 * (payload `{score, comment}`), so the transcript, history and both sides see
 * it like any message; a push is a `rating` message from the agent (payload `{request: true}`).
 */
export function ratingVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const db = c.resolve<Db>(TOKENS.Db);
  const clock = c.resolve<Clock>(TOKENS.Clock);
  const store = c.resolve(MessageStore);
  const notifier = c.resolve(RealtimeNotifier);

  async function submit(p: z.output<typeof ratingSubmit>, { visitor }: VisitorCaller): Promise<{ message: MessageView }> {
    const t = new Tenant(db, visitor.companyId);
    const conv = await t.q('conversations').where({ id: p.conversationId, visitor_id: visitor.id }).first('status', 'ended_at', 'first_reply_at');
    if (!conv) throw notFound('Conversation not found');
    if (!conv.first_reply_at) throw conflict('rating_not_available', 'You can rate once an agent has written');
    if (conv.status === 'ended' && clock.now().getTime() - new Date(conv.ended_at).getTime() > CHANGE_WINDOW_MS)
      throw conflict('rating_closed', 'Ratings can be changed up to 24 hours after the chat');
    const { message, duplicate } = await store.append(
      t,
      p.conversationId,
      {
        clientId: p.clientId,
        senderKind: 'visitor',
        senderId: String(visitor.id),
        senderName: null,
        kind: 'rating',
        text: `Visitor rating: ${LABELS[p.score]}`,
        payload: { score: p.score, comment: p.comment ?? null },
      },
      { allowEnded: true },
    );
    if (!duplicate) {
      // The latest rating counts; kept on the conversation so history filters and lists it (EVAL-SHOW-10).
      await t.q('conversations').where({ id: p.conversationId }).update({ rating: p.score });
      notifier.toAgents(rooms.conversation(p.conversationId), 'message', { message });
      notifier.toVisitors(rooms.conversation(p.conversationId), 'message', { message });
    }
    return { message };
  }

  return new Map<string, VisitorHandler>([['rating.submit', { spec: { schema: ratingSubmit, handler: submit } }]]);
}

/** `/agent` event `rating.push`: the serving agent sends the survey card into an active chat. */
export function registerRatingEvents(c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const clock = c.resolve<Clock>(TOKENS.Clock);
  const conversations = c.resolve(ConversationService);
  c.resolve(SocketDispatcher).on('core', 'rating.push', {
    schema: ratingPush,
    handler: async (p: z.output<typeof ratingPush>, caller) => {
      const t = new Tenant(db, caller.companyId);
      const conv = await t.q('conversations').where({ id: p.conversationId }).first('status');
      if (!conv) throw notFound('Conversation not found');
      if (conv.status !== 'active') throw conflict('conversation_not_active', 'The conversation is not active');
      if (await latestRating(t, p.conversationId)) throw conflict('already_rated', 'The visitor has already rated this chat');
      const pushes = await t
        .q('messages')
        .where({ conversation_id: p.conversationId, kind: 'rating', sender_kind: 'agent' })
        .orderBy('seq', 'desc')
        .select('created_at');
      if (pushes.length >= MAX_PUSHES) throw rateLimited(3600);
      const since = pushes.length ? clock.now().getTime() - new Date(pushes[0].created_at).getTime() : Infinity;
      if (since < PUSH_GAP_MS) throw rateLimited(Math.ceil((PUSH_GAP_MS - since) / 1000));
      const a = await t.q('agents').where({ id: caller.agentId }).first('nickname', 'role');
      const sender = { kind: 'agent' as const, agentId: caller.agentId, nickname: a.nickname, isAdmin: a.role === 'admin' };
      const message = await conversations.send(caller.companyId, p.conversationId, sender, {
        clientId: `rating-push:${p.conversationId}:${pushes.length + 1}`,
        kind: 'rating',
        text: null,
        payload: { request: true },
      });
      return { message };
    },
  });
}
