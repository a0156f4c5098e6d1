import type { DependencyContainer } from '../infra/di.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { collabAgentEvents } from '../protocol/collab-events.ts';
import { actorOf } from './collab-support.ts';
import { HelpService } from './help-service.ts';

/** How an active conversation changes hands (a first assignment has no helpers yet). */
const MOVES: string[] = ['transfer', 'takeover', 'dispatch'];

/**
 * 邀请协助 (CONV-JOIN-34): core's `/agent` events, the hooks that send helpers away when the conversation is
 * transferred, taken over or ends, and the job that expires unanswered help requests.
 */
export function registerHelpEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const help = c.resolve(HelpService);
  const hooks = c.resolve(HookRegistry);
  const E = collabAgentEvents;

  d.on('core', 'help.invite', {
    schema: E['help.invite'].payload,
    handler: async (p, caller) => ({ requests: await help.invite(actorOf(caller), p) }),
  });
  d.on('core', 'help.respond', { schema: E['help.respond'].payload, handler: (p, caller) => help.respond(actorOf(caller), p.requestId, p.accept, p.reason) });
  d.on('core', 'help.leave', {
    schema: E['help.leave'].payload,
    handler: async (p, caller) => ({ request: await help.leave(actorOf(caller), p.conversationId) }),
  });
  d.on('core', 'help.list', { schema: E['help.list'].payload, handler: (_p, caller) => help.list(actorOf(caller)) });
  d.on('core', 'help.members', {
    schema: E['help.members'].payload,
    handler: async (p, caller) => ({ requests: await help.members(actorOf(caller), p.conversationId) }),
  });

  // A conversation that changes hands or ends keeps no helpers; the new serving agent stays in the room.
  hooks.addAction(
    'conversation.assigned',
    (p, ctx) => (MOVES.includes(p.by) ? help.release(ctx.companyId, p.conversationId, 'transferred', p.agentId) : undefined),
    { owner: 'core' },
  );
  hooks.addAction('conversation.ended', (p, ctx) => help.release(ctx.companyId, p.conversationId, 'conversation_ended'), { owner: 'core' });

  const cron = c.resolve(CronSupervisor);
  cron.schedule('core', 'help.expire', '*/5 * * * * *', () => help.sweep().then(() => undefined));
}
