import type { DependencyContainer } from '../infra/di.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { collabAgentEvents, collabVisitorEvents } from '../protocol/collab-events.ts';
import { AutoInvite } from './auto-invite.ts';
import { actorOf } from './collab-support.ts';
import { InvitationService } from './invitation-service.ts';
import { MonitorService } from './monitor-service.ts';
import { TransferService } from './transfer-service.ts';
import type { VisitorCaller } from './visitor-event-handlers.ts';

/**
 * Core's `/agent` events for the agent actions of SPEC §2.1 (transfer, monitor,
 * whisper, take over, invite, proactive chat), the hooks that keep them in step
 * with the conversation engine, and the job that expires unanswered offers.
 */
export function registerCollabEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const transfers = c.resolve(TransferService);
  const monitors = c.resolve(MonitorService);
  const invitations = c.resolve(InvitationService);
  const hooks = c.resolve(HookRegistry);
  const E = collabAgentEvents;

  d.on('core', 'transfer.targets', { schema: E['transfer.targets'].payload, handler: (_p, caller) => transfers.targets(actorOf(caller)) });
  d.on('core', 'transfer.start', {
    schema: E['transfer.start'].payload,
    permission: E['transfer.start'].permission,
    handler: async (p, caller) => ({ transfer: await transfers.start(actorOf(caller), p) }),
  });
  d.on('core', 'transfer.respond', {
    schema: E['transfer.respond'].payload,
    handler: (p, caller) => transfers.respond(actorOf(caller), p.transferId, p.accept, p.reason),
  });
  d.on('core', 'transfer.cancel', {
    schema: E['transfer.cancel'].payload,
    handler: async (p, caller) => ({ transfer: await transfers.cancel(actorOf(caller), p.transferId) }),
  });
  d.on('core', 'transcript.view', {
    schema: E['transcript.view'].payload,
    handler: (p, caller) => monitors.transcript(actorOf(caller), p.conversationId, p.afterSeq),
  });
  d.on('core', 'monitor.start', {
    schema: E['monitor.start'].payload,
    permission: E['monitor.start'].permission,
    handler: (p, caller) => monitors.start(actorOf(caller), p.agentId),
  });
  d.on('core', 'monitor.targets', {
    schema: E['monitor.targets'].payload,
    permission: E['monitor.targets'].permission,
    handler: (_p, caller) => monitors.targets(actorOf(caller)),
  });
  d.on('core', 'monitor.stop', { schema: E['monitor.stop'].payload, handler: (p, caller) => monitors.stop(actorOf(caller), p.agentId) });
  d.on('core', 'monitor.list', { schema: E['monitor.list'].payload, handler: (_p, caller) => monitors.list(actorOf(caller)) });
  d.on('core', 'monitor.watchedBy', {
    schema: E['monitor.watchedBy'].payload,
    handler: (_p, caller) => monitors.watchedBy(caller.companyId, caller.agentId),
  });
  d.on('core', 'whisper.send', {
    schema: E['whisper.send'].payload,
    handler: async (p, caller) => ({ message: await monitors.whisper(actorOf(caller), p.conversationId, p.clientId, p.text) }),
  });
  d.on('core', 'conversation.takeover', {
    schema: E['conversation.takeover'].payload,
    permission: E['conversation.takeover'].permission,
    handler: async (p, caller) => ({ conversation: await transfers.takeover(actorOf(caller), p.conversationId) }),
  });
  d.on('core', 'visitor.invite', {
    schema: E['visitor.invite'].payload,
    permission: E['visitor.invite'].permission,
    handler: async (p, caller) => ({ invitation: await invitations.invite(actorOf(caller), p.visitorId, p.text) }),
  });
  d.on('core', 'visitor.proactive', {
    schema: E['visitor.proactive'].payload,
    permission: E['visitor.proactive'].permission,
    handler: (p, caller) => invitations.proactive(actorOf(caller), p.visitorId, p.text),
  });

  // New conversations of a monitored agent reach the monitors (CONV-MONITOR-35).
  hooks.addAction('conversation.assigned', (p, ctx) => monitors.onAssigned(ctx.companyId, p.conversationId, p.agentId), { owner: 'core' });
  hooks.addAction(
    'conversation.ended',
    async (p, ctx) => {
      await transfers.cancelPending(ctx.companyId, p.conversationId, 'conversation_ended');
      await invitations.onEnded(ctx.companyId, p.conversationId);
    },
    { owner: 'core' },
  );
  hooks.addAction(
    'message.created',
    (p, ctx) => (p.senderKind === 'visitor' && p.initiator === 'proactive' ? invitations.onVisitorMessage(ctx.companyId, p.conversationId) : undefined),
    {
      owner: 'core',
    },
  );

  // Unanswered transfers (60 s) and invitations expire; one node runs each tick.
  const cron = c.resolve(CronSupervisor);
  cron.schedule('core', 'collab.expire', '*/5 * * * * *', async () => {
    await transfers.sweep();
    await invitations.sweep();
  });

  // Automatic invitations (INVITE-AUTO-3): each visit is checked when it starts, on each page and when due.
  const autoInvite = c.resolve(AutoInvite);
  hooks.addAction('visitor.arrived', (v, ctx) => autoInvite.onArrived(ctx.companyId, v.visitorId, v.visitId), { owner: 'core' });
  hooks.addAction('visitor.pageview', (v, ctx) => autoInvite.onPageView(ctx.companyId, v.visitId), { owner: 'core' });
  cron.schedule('core', 'invite.auto', '*/2 * * * * *', () => autoInvite.fireDue());
  cron.schedule('core', 'invite.purge', '23 * * * *', () => autoInvite.purge());
}

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

/** `/visitor` events of these features, to merge into the visitor handler map. */
export function collabVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const invitations = c.resolve(InvitationService);
  const E = collabVisitorEvents;
  return new Map<string, VisitorHandler>([
    [
      'invitation.respond',
      { spec: { schema: E['invitation.respond'].payload, handler: (p, { visitor }) => invitations.respond(visitor, p.invitationId, p.accept) } },
    ],
  ]);
}
