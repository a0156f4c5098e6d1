import type { AgentRow } from '@/api/agents';
import type { Me } from '@/api/types';

export interface AgentCapabilities {
  edit: boolean;
  /** Reset password, sign out, disable, enable, delete. */
  manage: boolean;
  /** Role and permissions can be changed in the editor. */
  changeAccess: boolean;
}

/**
 * What the viewer may do to an agent (SPEC AGENT-PERMS-16, AGENT-PRIMARY-10, AGENT-DELETE-8): buttons
 * the server would refuse are not offered. The server still checks every call.
 */
export function agentCapabilities(row: AgentRow, viewer: Me): AgentCapabilities {
  const self = row.id === viewer.id;
  const viewerIsAdmin = viewer.role === 'admin';
  const reachable = viewerIsAdmin ? !row.isPrimary || self : row.role !== 'admin';
  return {
    edit: reachable,
    manage: reachable && !self && !row.isPrimary,
    changeAccess: reachable && !self && !row.isPrimary,
  };
}

/** The "new agent" column of SPEC AGENT-PERMS-14, used until permission templates exist. */
export const NEW_AGENT_PERMISSIONS = ['conversation.accept', 'conversation.transfer', 'visitor.invite', 'visitor.proactive', 'leavemsg.handle', 'profile.edit'];
