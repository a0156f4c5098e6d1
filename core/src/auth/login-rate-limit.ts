import { inject, injectable } from '../infra/di.ts';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { type Db, isPglite } from '../infra/db.ts';
import { rateLimited } from '../http/errors.ts';
import { TOKENS } from '../tokens.ts';

/** `points` per `duration` seconds, counted in PostgreSQL so every node agrees; the embedded database serves one process, so memory is enough there. */
export function makeLimiter(db: Db, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  return isPglite(db)
    ? new RateLimiterMemory({ keyPrefix, points, duration, blockDuration: duration })
    : new RateLimiterPostgres({
        storeClient: db,
        storeType: 'knex',
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix,
        points,
        duration,
        blockDuration: duration,
      });
}

/** Counts one call; over the limit it answers 429 rate_limited with the seconds to wait. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string): Promise<void> {
  // consume() rejects with the limiter's state when over the limit, with an Error when the store fails.
  await limiter.consume(key).catch((res: unknown) => {
    if (res instanceof Error) throw res;
    throw rateLimited(Math.max(1, Math.ceil((res as RateLimiterRes).msBeforeNext / 1000)));
  });
}

/**
 * LOGIN-LIMIT-6: 5 failures in 15 min lock (company, agent, IP) for 15 min;
 * 30 failures in 10 min block the IP for 10 min.
 */
@injectable()
export class LoginRateLimit {
  private readonly byCombo: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(@inject(TOKENS.Db) db: Db) {
    this.byCombo = makeLimiter(db, 'login_combo', 5, 15 * 60);
    this.byIp = makeLimiter(db, 'login_ip', 30, 10 * 60);
  }

  private static comboKey(companyId: string, agentId: string, ip: string) {
    return `${companyId}|${agentId.toLowerCase()}|${ip}`;
  }

  /** Throws 429 when the IP or the combination is locked. */
  async check(companyId: string, agentId: string, ip: string): Promise<void> {
    const [a, b] = await Promise.all([this.byIp.get(ip), this.byCombo.get(LoginRateLimit.comboKey(companyId, agentId, ip))]);
    const blocked = [
      [a, this.byIp],
      [b, this.byCombo],
    ].filter(([r, l]) => r && (r as RateLimiterRes).consumedPoints >= (l as RateLimiterAbstract).points);
    if (blocked.length) {
      const ms = Math.max(...blocked.map(([r]) => (r as RateLimiterRes).msBeforeNext));
      throw rateLimited(Math.max(1, Math.ceil(ms / 1000)));
    }
  }

  /** Counts a failure; true when this one locked the (company, agent, IP) combination (LOGINLOG-EVENTS-4: lock-out started). */
  async fail(companyId: string, agentId: string, ip: string): Promise<boolean> {
    const [, combo] = await Promise.all([
      this.byIp.consume(ip).catch(() => undefined),
      this.byCombo.consume(LoginRateLimit.comboKey(companyId, agentId, ip)).catch(() => undefined),
    ]);
    return combo?.consumedPoints === this.byCombo.points;
  }

  async succeed(companyId: string, agentId: string, ip: string): Promise<void> {
    await this.byCombo.delete(LoginRateLimit.comboKey(companyId, agentId, ip));
  }

  /** Operator's command: lift every lock of one IP or combination. */
  async clear(key: { ip?: string; companyId?: string; agentId?: string }): Promise<void> {
    if (key.ip) await this.byIp.delete(key.ip);
    if (key.ip && key.companyId && key.agentId) await this.byCombo.delete(LoginRateLimit.comboKey(key.companyId, key.agentId, key.ip));
  }
}
