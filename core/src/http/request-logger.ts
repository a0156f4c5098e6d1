import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../infra/logger.ts';

/** One structured line per request, with an id echoed in `X-Request-Id`. */
export function requestLogger(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    const id = crypto.randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = ctx.status >= 500 ? 'error' : ctx.path === '/healthz' || ctx.path === '/readyz' ? 'debug' : 'info';
      log[level]({ req: { id, method: ctx.method, path: ctx.path, ip: ctx.state.ip }, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
