import os from 'node:os';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, forbidden } from '../http/errors.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { announcePresence } from './presence-view.ts';

/** MAIN-PRESENCE-7: heartbeats every 10 s, an agent is present until 30 s after the last one. */
export const HEARTBEAT_MS = 10_000;
export const PRESENCE_TTL_MS = 30_000;
export type AgentStatus = 'online' | 'busy' | 'away' | 'invisible';
/** Which node made a status change, for the status log. */
const NODE = `${os.hostname()}:${process.pid}`;

/**
 * Agent status (chosen) and presence (derived from live console connections),
 * stored in PostgreSQL so every node agrees and a dead node's agents expire.
 */
@injectable()
export class PresenceService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  /**
   * A console connected: present now, with the status it had (online at first).
   * An agent without the right to take chats is always away (TOOLBAR-NOACCEPT-13).
   */
  async connected(companyId: number, agentId: number, canAccept = true): Promise<{ status: AgentStatus; autoAccept: boolean }> {
    const now = this.clock.now();
    const before = await this.db('agent_presence').where({ agent_id: agentId }).first('heartbeat_at');
    const [row] = await this.db('agent_presence')
      .insert({ agent_id: agentId, company_id: companyId, status: canAccept ? 'online' : 'away', heartbeat_at: now })
      .onConflict('agent_id')
      .merge(canAccept ? { heartbeat_at: now, gone_at: null } : { heartbeat_at: now, gone_at: null, status: 'away' })
      .returning(['status', 'auto_accept']);
    // TOOLBAR-STATUSLOG-15 reason `login`: 离线 until this console, so "since when" starts now (INTERNAL-PRESENCE-2).
    if (!this.isFresh(before?.heartbeat_at ?? null))
      await this.db('agent_status_log').insert({
        company_id: companyId,
        agent_id: agentId,
        old_status: 'offline',
        new_status: row.status,
        reason: 'login',
        node: NODE,
        created_at: now,
      });
    return { status: row.status, autoAccept: row.auto_accept };
  }

  /** One statement per node per beat for all its connected agents. */
  async beat(agentIds: number[]): Promise<void> {
    if (agentIds.length) await this.db('agent_presence').whereIn('agent_id', agentIds).update({ heartbeat_at: this.clock.now() });
  }

  /** The last console of the agent (on any node) closed: offline at once rather than after the expiry. */
  async disconnected(companyId: number, agentId: number): Promise<void> {
    if (await this.notifier.agentHasSockets(agentId)) return;
    // gone_at: the loss counts from now for the conversations left behind (MENU-EXITCHATS-7).
    await this.db('agent_presence').where({ agent_id: agentId, company_id: companyId }).update({ heartbeat_at: null, gone_at: this.clock.now() });
    announcePresence(this.notifier, companyId, agentId, 'offline');
  }

  /** `reason` idle: the console's idle rule (OTHERSET-IDLE-9) made the change (logged as such); it never makes anyone invisible. */
  async set(
    auth: AuthInfo,
    status: AgentStatus,
    autoAccept?: boolean,
    reason: 'manual' | 'idle' = 'manual',
  ): Promise<{ status: AgentStatus; autoAccept: boolean }> {
    if (status === 'invisible' && auth.agent.role !== 'admin') throw forbidden('admin', 'Only administrators can be invisible');
    if ((status === 'online' || status === 'busy') && !auth.can('conversation.accept'))
      throw conflict('status_not_allowed', 'Without the right to take chats you can only be away');
    if (reason === 'idle' && status === 'invisible') throw conflict('status_not_allowed', 'Idleness never makes an agent invisible');
    const patch: Record<string, unknown> = { status, heartbeat_at: this.clock.now() };
    if (autoAccept !== undefined) patch.auto_accept = autoAccept;
    return this.apply(auth.companyId, auth.agent.id, patch, reason);
  }

  /**
   * The system changes an agent's status, e.g. to away when they let an
   * assignment offer lapse (ASSIGN-CONNECT-15, reason `no_response`), or an
   * admin does with a note for the agent (TOOLBAR-FORCE-16, reason `forced`).
   */
  async setBySystem(companyId: number, agentId: number, status: AgentStatus, reason: string, note?: string): Promise<void> {
    await this.apply(companyId, agentId, { status }, reason, note);
  }

  private async apply(companyId: number, agentId: number, patch: Record<string, unknown>, reason: string, note?: string) {
    const row = await this.db.transaction(async (trx) => {
      const before = await trx('agent_presence').where({ agent_id: agentId }).forUpdate().first('status');
      const [after] = await trx('agent_presence')
        .insert({ agent_id: agentId, company_id: companyId, ...patch })
        .onConflict('agent_id')
        .merge(patch)
        .returning(['status', 'auto_accept']);
      // TOOLBAR-STATUSLOG-15: a change of status, not a re-statement of the same one.
      if (before?.status !== after.status)
        await trx('agent_status_log').insert({
          company_id: companyId,
          agent_id: agentId,
          old_status: before?.status ?? null,
          new_status: after.status,
          reason,
          node: NODE,
          created_at: this.clock.now(),
        });
      return after;
    });
    const status: AgentStatus = row.status;
    // Colleagues see invisible admins as offline (TOOLBAR-INVISIBLE-12); admins see 隐身 (INTERNAL-PRESENCE-2).
    announcePresence(this.notifier, companyId, agentId, status);
    this.notifier.toAgents(rooms.agent(agentId), 'presence.self', { status, autoAccept: row.auto_accept, reason, ...(note ? { note } : {}) });
    await this.hooks.emit(
      'agent.statusChanged',
      { agentId, status, reason },
      { companyId, actor: reason === 'manual' ? { kind: 'agent', id: agentId } : { kind: 'system' } },
    );
    return { status, autoAccept: row.auto_accept as boolean };
  }

  async get(agentId: number): Promise<{ status: AgentStatus; autoAccept: boolean; present: boolean }> {
    const row = await this.db('agent_presence').where({ agent_id: agentId }).first();
    if (!row) return { status: 'online', autoAccept: true, present: false };
    return { status: row.status, autoAccept: row.auto_accept, present: this.isFresh(row.heartbeat_at) };
  }

  isFresh(heartbeatAt: Date | string | null): boolean {
    return !!heartbeatAt && this.clock.now().getTime() - new Date(heartbeatAt).getTime() < PRESENCE_TTL_MS;
  }

  freshSince(): Date {
    return new Date(this.clock.now().getTime() - PRESENCE_TTL_MS);
  }
}
