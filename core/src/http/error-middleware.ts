import type { Context, Next } from 'koa';
import type { Logger } from '../infra/logger.ts';
import { AppError } from './errors.ts';

const byStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  501: 'not_implemented',
};

/** Maps every error to `{error: {code, message, fields?}}`; only real bugs become 500 (and are logged). */
export function errorMiddleware(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      // Nothing answered (404), or the router refused the method (405, 501) without a body: still a JSON error.
      if (ctx.body == null && ctx.path.startsWith('/api/')) {
        if (ctx.status === 404) throw new AppError(404, 'not_found', 'No such endpoint');
        if (ctx.status >= 400) throw new AppError(ctx.status, byStatus[ctx.status] ?? 'bad_request', `Not supported: ${ctx.method} ${ctx.path}`);
      }
    } catch (err: any) {
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = err.toBody();
        if (err.status === 429 && typeof err.extra.retryAfter === 'number') ctx.set('Retry-After', String(err.extra.retryAfter));
        return;
      }
      const status = Number(err?.status ?? err?.statusCode);
      if (status >= 400 && status < 500) {
        // Body parser and other http-errors: malformed JSON, too large, wrong content type.
        // co-body (under @koa/bodyparser) reports bad JSON as a SyntaxError with status 400 and no `type`.
        const parseFailed = err.type === 'entity.parse.failed' || (status === 400 && err instanceof SyntaxError);
        const code = parseFailed ? 'malformed_json' : err.type === 'entity.too.large' ? 'payload_too_large' : (byStatus[status] ?? 'bad_request');
        ctx.status = status;
        ctx.body = { error: { code, message: err.expose ? err.message : code } };
        return;
      }
      if (isDatabaseDown(err)) {
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { error: { code: 'database_unavailable', message: 'The database is unavailable; try again shortly' } };
        log.warn({ err: err?.message }, 'database unavailable');
        return;
      }
      ctx.status = 500;
      ctx.body = { error: { code: 'internal_error', message: 'Internal error' } };
      log.error({ err, path: ctx.path, method: ctx.method }, 'unhandled error');
    }
  };
}

const isDatabaseDown = (err: any) =>
  ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', 'ETIMEDOUT'].includes(err?.code) ||
  /Knex: Timeout acquiring a connection|Connection terminated/.test(String(err?.message));
