import { injectable } from '../infra/di.ts';
import { AppError, pluginDisabled } from '../http/errors.ts';
import { zodFields } from '../http/validate.ts';
import type { SocketCaller, SocketEventSpec } from './plugin-types.ts';

type Ack = (r: unknown) => void;

/**
 * Routes `<pluginId>:<event>` socket events to the owning plugin's handler;
 * a plugin not enabled for the caller's company is acked plugin_disabled.
 */
@injectable()
export class SocketDispatcher {
  private handlers = new Map<string, { owner: string; spec: SocketEventSpec<any> }>();
  isEnabled: (companyId: number, pluginId: string) => Promise<boolean> = async () => true;

  on(owner: string, event: string, spec: SocketEventSpec<any>) {
    this.handlers.set(`${owner}:${event}`, { owner, spec });
  }

  removeOwner(owner: string) {
    for (const [k, v] of this.handlers) if (v.owner === owner) this.handlers.delete(k);
  }

  handles(event: string): boolean {
    return event.includes(':');
  }

  async dispatch(event: string, payload: unknown, caller: SocketCaller, ack?: Ack): Promise<void> {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    const pluginId = event.split(':')[0];
    const entry = this.handlers.get(event);
    try {
      if (!entry) throw new AppError(404, 'unknown_event', `Unknown event ${event}`);
      if (!(await this.isEnabled(caller.companyId, pluginId))) throw pluginDisabled(pluginId);
      if (entry.spec.permission && !caller.can(entry.spec.permission)) throw new AppError(403, 'forbidden', `Missing permission: ${entry.spec.permission}`, { permission: entry.spec.permission });
      const parsed = entry.spec.schema.safeParse(payload);
      if (!parsed.success) throw new AppError(400, 'validation_failed', 'Invalid input', { fields: zodFields(parsed.error) });
      const result = await entry.spec.handler(parsed.data, caller);
      reply({ ok: true, ...(result && typeof result === 'object' ? result : { result }) });
    } catch (err) {
      reply(err instanceof AppError ? err.toBody() : { error: { code: 'internal_error', message: 'Internal error' } });
    }
  }
}
