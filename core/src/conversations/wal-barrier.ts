import type { Knex } from 'knex';
import { runPrepared } from '../infra/db.ts';

/**
 * Waits until what this process committed with `synchronous_commit = off` is on
 * disk. A transaction that writes WAL and commits synchronously makes PostgreSQL
 * flush the WAL up to its own commit record, which covers every earlier commit.
 * The smallest such write is a transactional logical-decoding message (allowed
 * to any role at wal_level replica; a transaction that only took an id is not
 * flushed). Callers that arrive while one runs share the next, so under load
 * one flush serves many messages (a group commit for the acks). Flushes also
 * start at most once per `minIntervalMs`: each is a statement, a commit and an
 * fsync, and on a busy node writing them costs more CPU than the messages do,
 * while an ack a few milliseconds later changes nothing a person can see.
 */
export class WalBarrier {
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running = false;
  private lastStart = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly knex: () => Knex,
    private readonly minIntervalMs = 0,
  ) {}

  /** Resolves once everything committed before this call is durable. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.running || this.timer || !this.waiting.length) return;
    const wait = this.lastStart + this.minIntervalMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
      return;
    }
    this.running = true;
    this.lastStart = performance.now();
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
