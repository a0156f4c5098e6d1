import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { KefuConfig } from '@kefu/config';
import { Webhook } from 'standardwebhooks';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { OutboundPost, type PostResult } from './outbound-post.ts';
import { PolicySettingsService, type PushSecrets } from './policy-settings-service.ts';

export interface PushEvent {
  /** Stable per event: the `webhook-id` of every attempt and resend, so receivers can drop duplicates. */
  eventId: string;
  type: string;
  conversationId: number | null;
  data: Record<string, unknown>;
}

export interface AttemptResult {
  status: number | null;
  latencyMs: number | null;
  error: string | null;
}

/** About 10 s, 1 min, 5 min, 30 min, 2 h (±20 % jitter): five retries after the first attempt (POLICY-PUSH-11). */
export const RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];
const TIMEOUT_MS = 5000;
const LEASE_MS = 60_000;
const KEEP_DAYS = 30;
const VERSION: string = createRequire(import.meta.url)('../../package.json').version;

/**
 * Message push (POLICY-PUSH-11/12): events are stored first and sent by the
 * `core:policy-push` job in the Standard Webhooks format, retried with backoff;
 * the outbox is also the delivery log and the place a resend starts from.
 */
@injectable()
export class PushOutbox {
  private readonly http: OutboundPost;
  delays = RETRY_DELAYS_MS;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Config) config: KefuConfig,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
  ) {
    this.http = new OutboundPost({
      allowPrivate: config.KEFU_OUTBOUND_ALLOW_PRIVATE,
      allowHttp: config.KEFU_OUTBOUND_ALLOW_HTTP,
      timeoutMs: TIMEOUT_MS,
      userAgent: `Kefu/${VERSION}`,
    });
  }

  /** Stores the event for delivery; the same event id twice is stored once. */
  async enqueue(t: Tenant, e: PushEvent): Promise<void> {
    const body = { type: e.type, timestamp: this.clock.now().toISOString(), data: e.data };
    await t
      .insert('policy_push_outbox', {
        event_id: e.eventId,
        type: e.type,
        conversation_id: e.conversationId,
        body: JSON.stringify(body),
        next_attempt_at: this.clock.now(),
      })
      .onConflict(['company_id', 'event_id'])
      .ignore();
  }

  /** Sends what is due. Rows are leased first, so a node dying mid-send only delays them. */
  async drain(limit = 20): Promise<void> {
    const now = this.clock.now();
    const { rows } = await this.db.raw(
      `update policy_push_outbox set next_attempt_at = ?, attempts = attempts + 1, round_attempts = round_attempts + 1
        where id in (select id from policy_push_outbox where status = 'pending' and next_attempt_at <= ?
                     order by next_attempt_at limit ? for update skip locked)
        returning *`,
      [new Date(now.getTime() + LEASE_MS), now, limit],
    );
    await Promise.all(rows.map((row: Record<string, any>) => this.deliver(row)));
  }

  private async deliver(row: Record<string, any>) {
    const companyId = Number(row.company_id);
    const url = (await this.settings.read(companyId)).push.url;
    const body = typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
    const r = url ? await this.attempt(companyId, url, row.event_id, body) : { status: null, latencyMs: null, error: 'no push URL' };
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    const gone = r.status === 410;
    const retryIn = this.delays[Number(row.round_attempts) - 1];
    const status = ok ? 'delivered' : gone ? 'gone' : retryIn === undefined ? 'failed' : 'pending';
    await this.db('policy_push_outbox')
      .where({ id: row.id })
      .update({
        status,
        last_status: r.status,
        last_latency_ms: r.latencyMs,
        last_error: r.error,
        delivered_at: ok ? this.clock.now() : null,
        next_attempt_at: status === 'pending' ? new Date(this.clock.now().getTime() + jitter(retryIn)) : null,
      });
    if (!ok) this.log.warn({ companyId, pushId: row.id, status: r.status, err: r.error }, `push not delivered (${status})`);
  }

  /** One signed POST; never throws. */
  async attempt(companyId: number, url: string, eventId: string, body: string): Promise<AttemptResult> {
    const secrets = await this.settings.pushSecrets(companyId);
    if (!secrets) return { status: null, latencyMs: null, error: 'no signing secret' };
    try {
      const r: PostResult = await this.http.post(url, body, signedHeaders(secrets, eventId, this.clock.now(), body));
      return { status: r.status, latencyMs: r.latencyMs, error: r.status >= 200 && r.status < 300 ? null : `HTTP ${r.status}` };
    } catch (err) {
      return { status: null, latencyMs: null, error: String((err as Error)?.message ?? err).slice(0, 500) };
    }
  }

  /** POLICY-PUSH-10's test button: a `push.test` event, sent at once, not stored. */
  async sendTest(t: Tenant, url: string | null): Promise<AttemptResult> {
    if (!url) return { status: null, latencyMs: null, error: 'no push URL' };
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('public_id');
    const body = JSON.stringify({ type: 'push.test', timestamp: this.clock.now().toISOString(), data: { company: Number(company.public_id) } });
    return this.attempt(t.companyId, url, `evt_test_${crypto.randomUUID()}`, body);
  }

  /** POLICY-PUSH-12: the last 30 days, newest first. */
  async list(t: Tenant, q: { failed?: boolean; page: number; pageSize: number }) {
    const base = () => {
      const b = t.q('policy_push_outbox').where('created_at', '>', new Date(this.clock.now().getTime() - KEEP_DAYS * 86_400_000));
      if (q.failed) b.whereIn('status', ['failed', 'gone']);
      return b;
    };
    const [{ n }] = await base().count<{ n: string }[]>('* as n');
    const rows = await base()
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset((q.page - 1) * q.pageSize)
      .limit(q.pageSize);
    return { total: Number(n), items: rows.map(toLogEntry) };
  }

  /** 重新推送: the same event (same webhook-id) goes out again with a fresh retry budget. */
  async resend(t: Tenant, id: number) {
    const [row] = await t
      .q('policy_push_outbox')
      .where({ id })
      .update({ status: 'pending', round_attempts: 0, next_attempt_at: this.clock.now() })
      .returning('*');
    if (!row) throw notFound('Delivery not found');
    return toLogEntry(row);
  }

  async purge(): Promise<void> {
    await this.db('policy_push_outbox')
      .where('created_at', '<', new Date(this.clock.now().getTime() - KEEP_DAYS * 86_400_000))
      .delete();
  }
}

/** Standard Webhooks headers; during a rotation both secrets sign (space-separated signatures). */
export function signedHeaders(secrets: PushSecrets, eventId: string, at: Date, body: string): Record<string, string> {
  const sigs = [secrets.current, secrets.previous].filter((s): s is string => !!s).map((s) => new Webhook(s).sign(eventId, at, body));
  return { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': sigs.join(' ') };
}

const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

function toLogEntry(r: Record<string, any>) {
  return {
    id: Number(r.id),
    eventId: r.event_id as string,
    type: r.type as string,
    conversationId: r.conversation_id == null ? null : Number(r.conversation_id),
    status: r.status as 'pending' | 'delivered' | 'failed' | 'gone',
    attempts: Number(r.attempts),
    lastStatus: r.last_status == null ? null : Number(r.last_status),
    latencyMs: r.last_latency_ms == null ? null : Number(r.last_latency_ms),
    lastError: r.last_error ?? null,
    createdAt: new Date(r.created_at).toISOString(),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
  };
}
