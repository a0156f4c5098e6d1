import cron, { type ScheduledTask } from 'node-cron';
import { inject, injectable } from '../infra/di.ts';
import { type Db, isPglite } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';

interface Job {
  name: string;
  owner: string;
  task: ScheduledTask | null;
  run: () => Promise<void>;
  running: boolean;
}

/**
 * Jobs inside their lock transaction at once on PostgreSQL. Each holds a pooled
 * connection for its whole run while its body needs others, so with a dozen jobs
 * falling on the same second (every ten seconds) an unbounded number would take the
 * whole pool and then wait for it until the acquire timeout; the rest queue.
 */
const MAX_LOCKED_JOBS = 3;

/**
 * Wraps node-cron: jobs named `<owner>:<job>`, never overlapping on a node, and
 * guarded by a PostgreSQL advisory lock so that one node of several runs each tick.
 */
@injectable()
export class CronSupervisor {
  private jobs = new Map<string, Job>();
  private stopped = false;
  private freeSlots = MAX_LOCKED_JOBS;
  private waiting: (() => void)[] = [];

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
  ) {}

  schedule(owner: string, name: string, expression: string, fn: () => Promise<void>): void {
    const full = `${owner}:${name}`;
    if (!cron.validate(expression)) throw new Error(`invalid cron expression for ${full}: ${expression}`);
    this.unschedule(full);
    const job: Job = { name: full, owner, task: null, running: false, run: fn };
    job.task = cron.schedule(expression, () => void this.runOnce(full), { name: full });
    this.jobs.set(full, job);
  }

  /** Runs a job now under the same rules (tests, operators). Returns false when skipped. */
  async runOnce(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job || job.running || this.stopped) return false;
    job.running = true;
    try {
      return await this.withLock(name, job.run);
    } catch (err) {
      this.log.error({ err, job: name }, 'cron job failed');
      return false;
    } finally {
      job.running = false;
    }
  }

  /** Transaction-scoped advisory lock: released at commit, or when a node dies. */
  private async withLock(name: string, fn: () => Promise<void>): Promise<boolean> {
    // The embedded database belongs to a single process, so there is nobody to exclude.
    if (isPglite(this.db)) {
      await fn();
      return true;
    }
    if (this.freeSlots > 0) this.freeSlots--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await this.db.transaction(async (trx) => {
        const { rows } = await trx.raw('select pg_try_advisory_xact_lock(hashtext(?)) as ok', [`kefu:cron:${name}`]);
        if (!rows[0].ok) return false;
        await fn();
        return true;
      });
    } finally {
      // The slot passes straight to the next job waiting, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.freeSlots++;
    }
  }

  unschedule(name: string) {
    const job = this.jobs.get(name);
    if (job) {
      void job.task?.destroy();
      this.jobs.delete(name);
    }
  }

  removeOwner(owner: string) {
    for (const j of [...this.jobs.values()]) if (j.owner === owner) this.unschedule(j.name);
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Stops scheduling and waits (bounded) for running jobs, so shutdown never pulls the database from under one. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const running = () => [...this.jobs.values()].some((j) => j.running);
    for (let i = 0; i < 100 && running(); i++) await new Promise((r) => setTimeout(r, 50));
    for (const j of [...this.jobs.values()]) this.unschedule(j.name);
  }
}
