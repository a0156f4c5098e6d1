import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';

/** A conversation's running policies: each `*_due_at` / `hold_until` is a deadline the timer job scans. */
export interface PolicyStateRow {
  conversation_id: string | number;
  company_id: string | number;
  timeout_stage: number;
  timeout_due_at: Date | null;
  timeout_second_seconds: number | null;
  autoreply_due_at: Date | null;
  autoreply_fired: boolean;
  autoreply_count: number;
  held_since: Date | null;
  hold_until: Date | null;
}

/** A claimed row, with the deadline that was due. */
export type DueRow = PolicyStateRow & { due: Date };

type Patch = Partial<Omit<PolicyStateRow, 'conversation_id' | 'company_id'>>;
export type Deadline = 'timeout_due_at' | 'autoreply_due_at' | 'hold_until';

/**
 * Deadlines live in the database, not in timers of one process: they survive
 * restarts, and the job that fires them runs on one node at a time (SPEC "Time").
 */
@injectable()
export class PolicyState {
  constructor(@inject(TOKENS.Db) private readonly db: Db) {}

  /** Creates the row or changes the given columns. */
  async set(companyId: number, conversationId: number, patch: Patch): Promise<void> {
    await new Tenant(this.db, companyId)
      .insert('conversation_policy_state', { conversation_id: conversationId, ...patch })
      .onConflict('conversation_id')
      .merge(Object.keys(patch));
  }

  /**
   * Resets a running deadline only while `running` (a constant SQL condition)
   * holds, so the common case on every message writes nothing.
   */
  async clear(companyId: number, conversationId: number, running: string, patch: Patch): Promise<void> {
    await new Tenant(this.db, companyId).q('conversation_policy_state').where({ conversation_id: conversationId }).whereRaw(`(${running})`).update(patch);
  }

  /** Changes an existing row only when `where` holds; returns whether it did. */
  async update(companyId: number, conversationId: number, where: Record<string, unknown>, patch: Patch): Promise<boolean> {
    const rows = await new Tenant(this.db, companyId)
      .q('conversation_policy_state')
      .where({ conversation_id: conversationId, ...where })
      .update(patch)
      .returning('conversation_id');
    return rows.length > 0;
  }

  async get(companyId: number, conversationId: number): Promise<PolicyStateRow | undefined> {
    return new Tenant(this.db, companyId).q('conversation_policy_state').where({ conversation_id: conversationId }).first();
  }

  /** Takes the rows whose deadline has passed and clears it, so each fires once (the job runs under the cron lock). */
  async claimDue(column: Deadline, now: Date, limit = 100): Promise<DueRow[]> {
    const { rows } = await this.db.raw(
      `update conversation_policy_state s set ?? = null
         from (select conversation_id, ?? as due from conversation_policy_state where ?? <= ? order by ?? limit ?) d
        where s.conversation_id = d.conversation_id
        returning s.*, d.due`,
      [column, column, column, now, column, limit],
    );
    return rows;
  }
}
