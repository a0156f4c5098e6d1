import type { Knex } from 'knex';
import { runPrepared } from '../infra/db.ts';

/**
 * Waits until what this process committed with `synchronous_commit = off` is on
 * disk. A transaction that writes WAL and commits synchronously makes PostgreSQL
 * flush the WAL up to its own commit record, which covers every earlier commit.
 * The smallest such write is a transactional logical-decoding message (allowed
 * to any role at wal_level replica; a transaction that only took an id is not
 * flushed). Callers that arrive while one runs share the next, so under load
 * one flush serves many messages (a group commit for the acks).
 */
export class WalBarrier {
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly knex: () => Knex) {}

  /** Resolves once everything committed before this call is durable. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.running || !this.waiting.length) return;
    this.running = true;
    // Only callers already waiting: a commit made while this barrier runs may land after its commit record.
    const batch = this.waiting.splice(0);
    runPrepared(this.knex(), 'kefu_wal_barrier', "select pg_logical_emit_message(true, 'kefu.barrier', '')")
      .then(
        () => batch.forEach((w) => w.resolve()),
        (err) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.running = false;
        this.flush();
      });
  }
}
