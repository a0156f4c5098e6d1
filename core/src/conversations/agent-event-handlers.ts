import type { DependencyContainer } from '../infra/di.ts';
import { agentClientEvents } from '../protocol/agent-events.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { PresenceService } from '../presence/presence-service.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AssignmentService } from './assignment-service.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService, type Sender } from './conversation-service.ts';
import { LiveVisitors } from '../visitors/live-visitors.ts';
import { viewerOf, VisitorScope } from '../visitors/visitor-scope.ts';
import { notFound } from '../http/errors.ts';
import { LiveView } from './live-view.ts';

/** Core's `/agent` events (docs/protocol.md); schemas live in protocol/agent-events.ts. */
export function registerAgentEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const db = c.resolve<Db>(TOKENS.Db);
  const conversations = c.resolve(ConversationService);
  const assignment = c.resolve(AssignmentService);
  const queries = c.resolve(ConversationQueries);
  const presence = c.resolve(PresenceService);
  const live = c.resolve(LiveVisitors);
  const scope = c.resolve(VisitorScope);
  const liveView = c.resolve(LiveView);
  const E = agentClientEvents;

  // The caller's auth is the socket's current copy (see RealtimeGateway.currentAuth): no query per message.
  const senderOf = ({ auth }: { auth: AuthInfo }): Sender => ({
    kind: 'agent',
    agentId: auth.agent.id,
    nickname: auth.agent.nickname,
    isAdmin: auth.agent.role === 'admin',
  });

  d.on('core', 'presence.set', {
    schema: E['presence.set'].payload,
    handler: async (p, caller) => {
      const r = await presence.set(caller.auth, p.status, p.autoAccept, p.reason);
      if (r.status === 'online' && r.autoAccept) await assignment.assignWaiting(caller.companyId);
      return r;
    },
  });
  d.on('core', 'presence.get', {
    schema: E['presence.get'].payload,
    handler: async (_p, caller) => {
      const version = Date.now();
      const me = await presence.get(caller.agentId);
      return { version, status: me.status, autoAccept: me.autoAccept };
    },
  });
  d.on('core', 'ping', { schema: E.ping.payload, handler: async () => ({}) });
  d.on('core', 'workbench.snapshot', {
    schema: E['workbench.snapshot'].payload,
    handler: async (_p, caller) => {
      // Taken before any read: a push stamped earlier is already in what follows (MAIN-LIVE-5).
      const version = Date.now();
      const t = new Tenant(db, caller.companyId);
      const me = await presence.get(caller.agentId);
      return {
        version,
        waiting: await queries.waitingFor(t, caller.agentId),
        mine: await queries.activeOf(t, caller.agentId),
        visitors: await live.list(caller.companyId, { scope: await scope.limitFor(caller.companyId, viewerOf(caller.auth)) }),
        status: me.status,
        autoAccept: me.autoAccept,
        unread: await queries.unread(t, caller.agentId),
      };
    },
  });
  d.on('core', 'conversation.accept', {
    schema: E['conversation.accept'].payload,
    permission: 'conversation.accept',
    handler: async (p, caller) => {
      // A visitor outside the agent's list scope does not exist for them (CONV-ACCEPT-5, VISITOR-SCOPE-4).
      const conv = await new Tenant(db, caller.companyId).q('conversations').where({ id: p.conversationId }).first('visitor_id');
      if (conv && !(await scope.allows(caller.companyId, viewerOf(caller.auth), Number(conv.visitor_id)))) throw notFound('Conversation not found');
      return { conversation: await assignment.accept(caller.companyId, caller.agentId, p.conversationId) };
    },
  });
  d.on('core', 'message.send', {
    schema: E['message.send'].payload,
    handler: async (p, caller) => ({
      message: await conversations.send(caller.companyId, p.conversationId, senderOf(caller), {
        clientId: p.clientId,
        kind: p.kind,
        text: p.text,
        // CONV-FONT-13: the palette code travels and is stored with the message, never CSS.
        payload: p.style?.color || p.style?.bold ? { style: p.style } : null,
      }),
    }),
  });
  d.on('core', 'liveview.set', {
    schema: E['liveview.set'].payload,
    handler: (p, caller) => liveView.set(caller.companyId, caller.agentId, p.conversationId, p.on),
  });
  d.on('core', 'conversation.end', {
    schema: E['conversation.end'].payload,
    handler: async (p, caller) => ({ conversation: await conversations.end(caller.companyId, p.conversationId, senderOf(caller), 'agent_ended') }),
  });
  d.on('core', 'conversation.read', {
    schema: E['conversation.read'].payload,
    handler: async (p, caller) => {
      await conversations.markRead(caller.companyId, caller.agentId, p.conversationId, p.seq);
      return {};
    },
  });
  d.on('core', 'sync', {
    schema: E.sync.payload,
    handler: async (p, caller) => conversations.sync(caller.companyId, p.conversationId, senderOf(caller), p.afterSeq),
  });
}
