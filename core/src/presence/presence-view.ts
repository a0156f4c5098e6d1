import { type RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { AgentStatus } from './presence-service.ts';

export type ShownStatus = AgentStatus | 'offline';

/**
 * One status everywhere (SPEC INTERNAL-PRESENCE-2): a console that has not
 * beaten within the presence window is 离线, and 隐身 is shown only to admins;
 * to anyone else an invisible admin is 离线.
 */
export function shownStatus(status: AgentStatus | null | undefined, fresh: boolean, viewerIsAdmin: boolean): ShownStatus {
  if (!status || !fresh) return 'offline';
  return status === 'invisible' && !viewerIsAdmin ? 'offline' : status;
}

/** `presence.changed` to every console of the company, 隐身 to admins and 离线 to everyone else. */
export function announcePresence(notifier: RealtimeNotifier, companyId: number, agentId: number, status: ShownStatus) {
  if (status !== 'invisible') return notifier.toAgents(rooms.company(companyId), 'presence.changed', { agentId, status });
  notifier.toAgents(rooms.admins(companyId), 'presence.changed', { agentId, status });
  notifier.toAgentsExcept(rooms.company(companyId), rooms.admins(companyId), 'presence.changed', { agentId, status: 'offline' });
}
