import type { Namespace } from 'socket.io';
import type { DependencyContainer } from '../infra/di.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { policyVisitorEvents } from '../protocol/policy-events.ts';
import { AntiSpam } from './anti-spam.ts';
import { AutoProactive } from './auto-proactive.ts';
import { AutoReply } from './auto-reply.ts';
import { ConversationHold } from './conversation-hold.ts';
import { MessagePush } from './message-push.ts';
import { PushOutbox } from './push-outbox.ts';
import { VerificationChallenges } from './verification-challenges.ts';
import { VisitorTimeout } from './visitor-timeout.ts';

/** Hook subscriptions and DB-driven timers of the conversation policies; called once per node from server.ts. */
export function registerPolicyJobs(c: DependencyContainer): void {
  const hooks = c.resolve(HookRegistry);
  const cron = c.resolve(CronSupervisor);
  const timeout = c.resolve(VisitorTimeout);
  const autoReply = c.resolve(AutoReply);
  const hold = c.resolve(ConversationHold);
  const push = c.resolve(MessagePush);
  const outbox = c.resolve(PushOutbox);
  const proactive = c.resolve(AutoProactive);

  hooks.addAction('message.created', async (m, { companyId }) => {
    if (m.kind === 'whisper' || m.senderKind === 'system') return;
    if (m.senderKind === 'visitor') {
      await Promise.all([timeout.onMessage(companyId, m.conversationId, 'visitor'), autoReply.onMessage(companyId, m.conversationId, 'visitor', m.agentId)]);
      return;
    }
    if (m.senderKind === 'plugin') return timeout.onMessage(companyId, m.conversationId, 'answer');
    // CHATSET-AUTORULES-3: automatic messages neither start the visitor timeout nor answer the visitor.
    if (!m.payload?.automatic)
      await Promise.all([timeout.onMessage(companyId, m.conversationId, 'answer'), autoReply.onMessage(companyId, m.conversationId, 'agent', m.agentId)]);
    await push.onAgentMessage(companyId, m.conversationId, m.messageId);
  });
  hooks.addAction('conversation.assigned', async (a, { companyId }) => {
    if (a.by === 'auto' || a.by === 'manual') await autoReply.onAssigned(companyId, a.conversationId, a.agentId);
  });
  hooks.addAction('conversation.ended', (e, { companyId }) => push.onEnded(companyId, e.conversationId, e.reason));
  hooks.addAction('visitor.arrived', (v, { companyId }) => proactive.onArrived(companyId, v.visitorId, v.visitId));

  cron.schedule('core', 'policy-timers', '* * * * * *', async () => {
    await timeout.fireDue();
    await autoReply.fireDue();
    await hold.expireDue();
    await proactive.fireDue();
  });
  cron.schedule('core', 'policy-hold-sweep', '*/10 * * * * *', () => hold.sweepStale());
  cron.schedule('core', 'policy-push', '*/2 * * * * *', () => outbox.drain());
  cron.schedule('core', 'policy-purge', '17 * * * *', async () => {
    await c.resolve(VerificationChallenges).purge();
    await c.resolve(AntiSpam).purge();
    await outbox.purge();
    await proactive.purge();
  });
}

/** Conversation hold follows the widget's connections (server.ts, once the gateway exists). */
export function watchVisitorConnections(c: DependencyContainer, visitors: Namespace): void {
  c.resolve(ConversationHold).watch(visitors);
}

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

/** `/visitor` events of the policies, merged into the visitor handler map in server.ts. */
export function policyVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const proactive = c.resolve(AutoProactive);
  const E = policyVisitorEvents;
  return new Map<string, VisitorHandler>([
    [
      'proactive.close',
      { spec: { schema: E['proactive.close'].payload, handler: async (_p, { visitor }) => (await proactive.close(visitor.companyId, visitor.id), {}) } },
    ],
  ]);
}
