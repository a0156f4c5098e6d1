import { injectable } from '../infra/di.ts';
import { AppError, pluginDisabled } from '../http/errors.ts';
import { zodFields } from '../http/validate.ts';
import type { Logger } from '../infra/logger.ts';
import type { SocketCaller, SocketEventSpec } from './plugin-types.ts';

type Ack = (r: unknown) => void;

/**
 * Routes `/agent` socket events to their handler: core's own events by name,
 * plugins' as `<pluginId>:<event>` (a plugin not enabled for the caller's
 * company is acked plugin_disabled). Every payload is validated; every answer
 * is an ack `{ok: true, …}` or `{error: {code, message}}`.
 */
@injectable()
export class SocketDispatcher {
  private handlers = new Map<string, { owner: string; spec: SocketEventSpec<any> }>();
  isEnabled: (companyId: number, pluginId: string) => Promise<boolean> = async () => true;
  log?: Logger;

  /** Plugins: `on('robot', 'ask', …)` handles `robot:ask`; core: `on('core', 'message.send', …)`. */
  on(owner: string, event: string, spec: SocketEventSpec<any>) {
    this.handlers.set(owner === 'core' ? event : `${owner}:${event}`, { owner, spec });
  }

  removeOwner(owner: string) {
    for (const [k, v] of this.handlers) if (v.owner === owner) this.handlers.delete(k);
  }

  async dispatch(event: string, payload: unknown, caller: SocketCaller, ack?: Ack): Promise<void> {
    await runHandler(
      this.handlers.get(event),
      event,
      payload,
      caller,
      ack,
      async (entry) => {
        if (entry.owner !== 'core' && !(await this.isEnabled(caller.companyId, entry.owner))) throw pluginDisabled(entry.owner);
        if (entry.spec.permission && !caller.can(entry.spec.permission))
          throw new AppError(403, 'forbidden', `Missing permission: ${entry.spec.permission}`, { permission: entry.spec.permission });
      },
      this.log,
    );
  }
}

/** Shared by both namespaces: validate, run, ack with the same error shape as HTTP. */
export async function runHandler<C>(
  entry: { spec: { schema: any; handler: (p: any, c: C) => unknown } } | undefined,
  event: string,
  payload: unknown,
  caller: C,
  ack: Ack | undefined,
  guard: (entry: any) => Promise<void>,
  log?: Logger,
): Promise<void> {
  const reply = typeof ack === 'function' ? ack : () => undefined;
  try {
    if (!entry) throw new AppError(404, 'unknown_event', `Unknown event ${event}`);
    await guard(entry);
    const parsed = entry.spec.schema.safeParse(payload ?? {});
    if (!parsed.success) throw new AppError(400, 'validation_failed', 'Invalid input', { fields: zodFields(parsed.error) });
    const result = await entry.spec.handler(parsed.data, caller);
    reply({ ok: true, ...(result && typeof result === 'object' ? result : {}) });
  } catch (err) {
    if (err instanceof AppError) return reply(err.toBody());
    if (isDbDown(err)) {
      // An outage, not a bug: warn like the HTTP side does and tell the client to retry.
      log?.warn({ err: (err as Error)?.message, event }, 'database unavailable');
      return reply({ error: { code: 'database_unavailable', message: 'The database is unavailable; try again shortly' } });
    }
    log?.error({ err, event }, 'socket handler failed');
    reply({ error: { code: 'internal_error', message: 'Internal error' } });
  }
}

// Same test as the HTTP error middleware's isDatabaseDown.
const isDbDown = (err: any) =>
  ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', 'ETIMEDOUT'].includes(err?.code) ||
  /Knex: Timeout acquiring a connection|Connection terminated/.test(String(err?.message));
