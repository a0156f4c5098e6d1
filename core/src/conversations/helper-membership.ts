import type { Tenant } from '../tenancy/tenant.ts';

/** CONV-JOIN-34: at most this many colleagues help in one conversation at a time (open requests included). */
export const MAX_HELPERS = 3;

/**
 * Whether the agent currently helps in the conversation (an accepted help request not yet left).
 * Read only after the serving-agent check failed, so the serving agent's and visitor's paths never pay for it.
 */
export async function isHelping(t: Tenant, conversationId: number, agentId: number): Promise<boolean> {
  return !!(await t.q('conversation_helpers').where({ conversation_id: conversationId, agent_id: agentId, status: 'accepted' }).first('id'));
}
