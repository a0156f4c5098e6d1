import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { type Db, isPglite } from '../infra/db.ts';
import { rateLimited } from '../http/errors.ts';

/** Counted in PostgreSQL so every node agrees (as LoginRateLimit); the embedded database serves one process, so memory is enough there. */
export function makeLimiter(db: Db, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  return isPglite(db)
    ? new RateLimiterMemory({ keyPrefix, points, duration })
    : new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration });
}

/** Takes one point or throws `429 rate_limited` with the seconds to wait. */
export async function consumeOr429(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
