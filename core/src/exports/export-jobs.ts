import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Context } from 'koa';
import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Bus } from '../infra/bus.ts';
import type { Logger } from '../infra/logger.ts';
import { randomToken } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AGENT_AUTH_CHANGED, Authenticator } from '../auth/authenticator.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { AppError, forbidden, notFound, rateLimited } from '../http/errors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { EXPORT_MIME, EXPORT_TUNING, type ExportKind, type ExportPlan } from './export-plan.ts';

export type ExportJobStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'expired';

/** Why a run stopped early: the requester lost the right (cancelled), or this node is stopping (left for another node). */
class Stopped extends Error {
  constructor(readonly why: 'cancelled' | 'shutdown') {
    super(why);
  }
}

export function toJobView(r: Record<string, any>) {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: Number(r.id),
    kind: r.kind as string,
    format: r.format as string,
    filename: r.filename as string,
    status: r.status as ExportJobStatus,
    done: Number(r.done),
    total: Number(r.total),
    size: r.size == null ? null : Number(r.size),
    error: (r.error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
    expiresAt: iso(r.expires_at),
  };
}
export type ExportJobView = ReturnType<typeof toJobView>;

/**
 * Export delivery (HISTORY-EXPORTJOB-11, LEAVEMSG-EXPORT-13): small exports stream straight to the
 * browser; larger ones become a job that writes the file under the data folder on the node that
 * took the request, with progress and a `exports.updated` push to the requester. A job whose node
 * stopped (its heartbeat went stale) is restarted by the sweep on any node, from the beginning and
 * under the requester's rights at that time; one whose requester loses the permission is cancelled.
 */
@injectable()
export class ExportJobs {
  private readonly kinds = new Map<string, ExportKind>();
  private readonly running = new Map<number, { agentId: number; permission: string; stop: (why: Stopped) => void; finished: Promise<void> }>();
  private readonly root: string;
  private stopping = false;

  constructor(
    @inject(TOKENS.Config) config: KefuConfig,
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Bus) bus: Bus,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(Authenticator) private readonly authenticator: Authenticator,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {
    this.root = path.resolve(config.KEFU_DATA_DIR);
    // AGENT-PERMS-17: a requester whose rights change has their running jobs checked at once.
    bus.subscribe(AGENT_AUTH_CHANGED, (m: { agentId: number }) => void this.recheck(Number(m.agentId)));
  }

  register(kind: string, spec: ExportKind) {
    this.kinds.set(kind, spec);
  }

  /**
   * Streams a small export, or starts a job for a large one and answers `{ job }`. Audited either way.
   * The job keeps the request's query string as sent; the kind validates it again when it runs.
   */
  async deliver(ctx: Context, auth: AuthInfo, kind: string, plan: ExportPlan): Promise<Readable | { job: ExportJobView }> {
    if (plan.count <= EXPORT_TUNING.direct) {
      await this.audit.write(auth.tenant, { actor: auth.agent.id, action: plan.audit.action, new: plan.audit.new });
      ctx.set('Content-Disposition', `attachment; filename="${plan.filename}"; filename*=UTF-8''${encodeURIComponent(plan.filename)}`);
      ctx.type = plan.contentType;
      return plan.open();
    }
    const format = path.extname(plan.filename).slice(1);
    const row = await auth.tenant.transaction(async (t, trx) => {
      // Serialises one agent's requests, so two at once cannot both pass the limit.
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`kefu:export:${auth.agent.id}`]);
      const [{ n }] = await t.q('export_jobs').where({ agent_id: auth.agent.id, status: 'running' }).count({ n: '*' });
      if (Number(n) >= EXPORT_TUNING.perAgent) throw rateLimited(Math.ceil(EXPORT_TUNING.heartbeatMs / 1000));
      const [created] = await t
        .insert('export_jobs', {
          agent_id: auth.agent.id,
          kind,
          format,
          params: JSON.stringify(ctx.query),
          filename: plan.filename,
          total: plan.count,
          file_path: path.posix.join('exports', String(auth.companyId), `${randomToken(18)}.${format}`),
          heartbeat_at: this.clock.now(),
          created_at: this.clock.now(),
        })
        .returning('*');
      return created;
    });
    await this.audit.write(auth.tenant, { actor: auth.agent.id, action: plan.audit.action, new: { ...plan.audit.new, job: Number(row.id) } });
    this.start(row);
    return { job: toJobView(row) };
  }

  /** 导出记录: the caller's own jobs, newest first. */
  async list(auth: AuthInfo, page: number, pageSize: number) {
    const q = () => auth.tenant.q('export_jobs').where({ agent_id: auth.agent.id });
    const [{ n }] = await q().count({ n: '*' });
    const rows = await q()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return { items: rows.map(toJobView), total: Number(n), page, pageSize };
  }

  /** The finished file, for its requester only and until it expires; anyone else gets the same 404 as for a missing job. */
  async download(auth: AuthInfo, id: number) {
    const row = await auth.tenant.q('export_jobs').where({ id, agent_id: auth.agent.id }).first();
    if (!row || row.status !== 'done' || new Date(row.expires_at) <= this.clock.now()) throw notFound('Export not found or expired');
    const permission = this.kinds.get(row.kind)?.permission;
    if (!permission || !auth.can(permission)) throw forbidden(permission ?? row.kind);
    const abs = this.abs(row.file_path);
    const size = (await fsp.stat(abs).catch(() => null))?.size;
    if (size == null) throw notFound('Export not found or expired');
    return { filename: row.filename as string, contentType: EXPORT_MIME[row.format as keyof typeof EXPORT_MIME], size, body: fs.createReadStream(abs) };
  }

  /** Restarts jobs whose node stopped (heartbeat stale); one tried too often fails instead. Run by one node at a time. */
  async sweep(): Promise<void> {
    const stale = new Date(this.clock.now().getTime() - EXPORT_TUNING.staleMs);
    const rows = await this.db('export_jobs').where({ status: 'running' }).where('heartbeat_at', '<', stale).limit(50);
    for (const r of rows) {
      if (this.running.has(Number(r.id))) continue;
      const patch =
        r.attempts >= EXPORT_TUNING.attempts
          ? { status: 'failed', error: 'export_interrupted', finished_at: this.clock.now() }
          : { attempts: r.attempts + 1, done: 0, heartbeat_at: this.clock.now() };
      // Claimed only if no other node took it since it was read.
      const [claimed] = await this.db('export_jobs').where({ id: r.id, status: 'running' }).where('heartbeat_at', '<', stale).update(patch).returning('*');
      if (!claimed) continue;
      if (claimed.status === 'running') this.start(claimed);
      else this.announce(claimed);
    }
  }

  /** Deletes files past their 24 hours (the row stays as 已过期 for a month, then goes). Run by one node at a time. */
  async cleanup(): Promise<void> {
    const now = this.clock.now();
    const due = await this.db('export_jobs').where({ status: 'done' }).where('expires_at', '<=', now).limit(500);
    for (const r of due) {
      await fsp.rm(this.abs(r.file_path), { force: true });
      const [expired] = await this.db('export_jobs').where({ id: r.id, status: 'done' }).update({ status: 'expired' }).returning('*');
      if (expired) this.announce(expired);
    }
    await this.db('export_jobs')
      .whereIn('status', ['expired', 'failed', 'cancelled'])
      .where('created_at', '<', new Date(now.getTime() - 30 * 86_400_000))
      .delete();
  }

  /** Node shutdown: running jobs stop and are left for the sweep of another node (or this one after a restart). */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    for (const j of all) j.stop(new Stopped('shutdown'));
    await Promise.all(all.map((j) => j.finished));
  }

  private start(row: Record<string, any>) {
    const kind = this.kinds.get(row.kind);
    const id = Number(row.id);
    if (!kind || this.stopping) return;
    let stop!: (why: Stopped) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    stopped.catch(() => undefined);
    const finished = this.run(row, kind, stopped).finally(() => this.running.delete(id));
    this.running.set(id, { agentId: Number(row.agent_id), permission: kind.permission, stop, finished });
  }

  private async run(row: Record<string, any>, kind: ExportKind, stopped: Promise<never>): Promise<void> {
    const id = Number(row.id);
    const t = new Tenant(this.db, Number(row.company_id));
    const part = this.abs(row.file_path) + '.part';
    const beat = setInterval(() => {
      this.db('export_jobs')
        .where({ id, status: 'running' })
        .update({ heartbeat_at: this.clock.now() })
        .catch((err) => this.log.warn({ err, job: id }, 'export job heartbeat failed'));
    }, EXPORT_TUNING.heartbeatMs);
    beat.unref();
    try {
      // Visibility and masking are those of the requester now, not when they asked (HISTORY-EXPORTJOB-11).
      const auth = await this.authenticator.forAgent(t.companyId, Number(row.agent_id));
      if (!auth?.can(kind.permission)) throw new Stopped('cancelled');
      const plan = await Promise.race([kind.plan(auth, row.params), stopped]);
      await this.update(t, id, { total: plan.count, done: 0 });
      let done = 0;
      let shown = Date.now();
      const progress = async (rows: number) => {
        done += rows;
        if (Date.now() - shown < EXPORT_TUNING.progressMs) return;
        shown = Date.now();
        await this.update(t, id, { done, heartbeat_at: this.clock.now() });
      };
      await fsp.mkdir(path.dirname(part), { recursive: true });
      const body = plan.open(progress);
      await Promise.race([pipeline(body, fs.createWriteStream(part)), stopped.catch((e) => (body.destroy(), Promise.reject(e)))]);
      await fsp.rename(part, this.abs(row.file_path));
      const { size } = await fsp.stat(this.abs(row.file_path));
      const now = this.clock.now();
      await this.update(t, id, { status: 'done', done, total: done, size, finished_at: now, expires_at: new Date(now.getTime() + EXPORT_TUNING.keepMs) });
    } catch (err) {
      await fsp.rm(part, { force: true });
      if (err instanceof Stopped && err.why === 'shutdown') {
        // Stale at once, so the next sweep anywhere takes it over.
        await this.db('export_jobs')
          .where({ id, status: 'running' })
          .update({ heartbeat_at: new Date(0) });
        return;
      }
      const cancelled = err instanceof Stopped;
      if (!cancelled && !(err instanceof AppError)) this.log.error({ err, job: id }, 'export job failed');
      await this.update(t, id, {
        status: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? 'permission_removed' : err instanceof AppError ? err.code : 'export_failed',
        finished_at: this.clock.now(),
      });
    } finally {
      clearInterval(beat);
    }
  }

  /** Saves a running job's change and pushes the row to the requester's consoles. */
  private async update(t: Tenant, id: number, patch: Record<string, unknown>) {
    const [row] = await t.q('export_jobs').where({ id, status: 'running' }).update(patch).returning('*');
    if (row) this.announce(row);
  }

  private announce(row: Record<string, any>) {
    this.notifier.toAgents(rooms.agent(Number(row.agent_id)), 'exports.updated', toJobView(row));
  }

  private async recheck(agentId: number) {
    for (const [id, j] of this.running) {
      if (j.agentId !== agentId) continue;
      const row = await this.db('export_jobs').where({ id }).first('company_id');
      const auth = row && (await this.authenticator.forAgent(Number(row.company_id), agentId));
      if (!auth?.can(j.permission)) j.stop(new Stopped('cancelled'));
    }
  }

  private abs(rel: string): string {
    const full = path.resolve(this.root, rel);
    if (!full.startsWith(path.join(this.root, 'exports') + path.sep)) throw new Error(`path outside the exports folder: ${rel}`);
    return full;
  }
}
