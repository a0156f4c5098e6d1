import type { KefuConfig } from '@kefu/config';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { inject, injectable } from '../infra/di.ts';
import { rateLimited } from '../http/errors.ts';
import { TOKENS } from '../tokens.ts';

/**
 * POLICY-FLOOD-7: always on — a visitor sending more than N messages in S
 * seconds is refused for B seconds (operator setting KEFU_VISITOR_FLOOD).
 * Counted in this node's memory: it runs on every visitor message, so it must
 * not cost a database write, and a visitor's socket stays on one node (sticky
 * sessions), so per-node counts are that visitor's counts.
 */
@injectable()
export class FloodLimit {
  private readonly limiter: RateLimiterAbstract;

  constructor(@inject(TOKENS.Config) config: KefuConfig) {
    const [points, duration, blockDuration] = config.KEFU_VISITOR_FLOOD.split('/').map(Number);
    const opts = { keyPrefix: 'visitor_flood', points, duration, blockDuration };
    this.limiter = new RateLimiterMemory(opts);
  }

  /** Takes one message from the visitor's allowance or throws `429 rate_limited` with the seconds to wait. */
  async take(companyId: number, visitorId: number): Promise<void> {
    try {
      await this.limiter.consume(`${companyId}:${visitorId}`);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
  }
}
