import type { Logger } from '../infra/logger.ts';
import { type ActionHooks, type FilterHooks, type Halt, type HookContext, isHalt } from './hook-types.ts';

export type FilterHandler<V> = (value: V, ctx: HookContext) => V | undefined | void | Halt | Promise<V | undefined | void | Halt>;
export type ActionHandler<P> = (payload: P, ctx: HookContext) => unknown;

export interface HookOptions {
  /** Ascending; default 50. Ties keep insertion order. */
  priority?: number;
  /** `core` or a plugin id; a plugin's handlers only run for companies that enabled it. */
  owner?: string;
  /** Per-handler time budget in ms (filters default 2000, actions 10000). */
  timeoutMs?: number;
  /**
   * Fail-closed: if this filter throws or times out the whole filter fails
   * (security hooks such as OTP). Default fail-open: the handler is skipped and logged.
   */
  critical?: boolean;
}

interface Entry {
  fn: (v: unknown, ctx: HookContext) => unknown;
  priority: number;
  owner: string;
  timeoutMs: number;
  critical: boolean;
  seq: number;
}

export type FilterResult<V> = { halted: false; value: V } | { halted: true; halt: Halt };

/** ASSIGN-HOOK-14: routing runs while a visitor waits, so a slower handler is skipped rather than waited for. */
const FILTER_TIMEOUT_CAP: Partial<Record<keyof FilterHooks, number>> = { 'visitor.routing': 100 };

export class HookTimeoutError extends Error {
  constructor(hook: string, owner: string, ms: number) {
    super(`hook ${hook} handler of ${owner} took longer than ${ms} ms`);
  }
}

/** Typed filters and actions, ordered by priority, owned so a plugin's entries can be removed at once. */
export class HookRegistry {
  private filters = new Map<string, Entry[]>();
  private actions = new Map<string, Entry[]>();
  private seq = 0;

  constructor(
    private readonly log: Logger,
    /** Decides whether a plugin is enabled for a company; core handlers always run. */
    private readonly isEnabled: (owner: string, companyId: number) => boolean = () => true,
    /** Loads whatever `isEnabled` needs for a company before a dispatch. */
    private readonly prepare: (companyId: number) => Promise<unknown> = async () => undefined,
  ) {}

  addFilter<K extends keyof FilterHooks>(name: K, fn: FilterHandler<FilterHooks[K]>, opts: HookOptions = {}): () => void {
    const cap = FILTER_TIMEOUT_CAP[name];
    const capped = cap ? { ...opts, timeoutMs: Math.min(opts.timeoutMs ?? cap, cap) } : opts;
    return this.add(this.filters, name, fn as Entry['fn'], capped, 2000);
  }

  addAction<K extends keyof ActionHooks>(name: K, fn: ActionHandler<ActionHooks[K]>, opts: HookOptions = {}): () => void {
    return this.add(this.actions, name, fn as Entry['fn'], opts, 10_000);
  }

  /** Removes every filter and action registered by `owner`. */
  removeOwner(owner: string): void {
    for (const map of [this.filters, this.actions]) {
      for (const [name, list] of map) {
        map.set(
          name,
          list.filter((e) => e.owner !== owner),
        );
      }
    }
  }

  /** Whether any filter of this name is registered: lets hot paths skip the lookups a filter would need. */
  hasFilters(name: keyof FilterHooks): boolean {
    return (this.filters.get(name)?.length ?? 0) > 0;
  }

  count(owner?: string): number {
    let n = 0;
    for (const map of [this.filters, this.actions]) for (const list of map.values()) n += list.filter((e) => !owner || e.owner === owner).length;
    return n;
  }

  /** Runs filters in series; a handler may replace the value, keep it (undefined) or halt. */
  async runFilter<K extends keyof FilterHooks>(name: K, value: FilterHooks[K], ctx: HookContext): Promise<FilterResult<FilterHooks[K]>> {
    let current: unknown = value;
    await this.prepare(ctx.companyId);
    for (const e of this.active(this.filters, name, ctx)) {
      try {
        const out = await withTimeout(e.fn(current, ctx), e.timeoutMs, () => new HookTimeoutError(name, e.owner, e.timeoutMs));
        if (isHalt(out)) return { halted: true, halt: out };
        if (out !== undefined) current = out;
      } catch (err) {
        if (e.critical) throw err;
        this.log.warn({ err, hook: name, owner: e.owner }, 'filter handler failed; skipped');
      }
    }
    return { halted: false, value: current as FilterHooks[K] };
  }

  /**
   * Runs actions in parallel, each isolated: a failing or slow handler is logged
   * and never reaches the caller. Call after the database commit.
   */
  async emit<K extends keyof ActionHooks>(name: K, payload: ActionHooks[K], ctx: HookContext): Promise<void> {
    await this.prepare(ctx.companyId);
    const list = this.active(this.actions, name, ctx);
    const results = await Promise.allSettled(
      list.map((e) =>
        withTimeout(
          Promise.resolve().then(() => e.fn(payload, ctx)),
          e.timeoutMs,
          () => new HookTimeoutError(name, e.owner, e.timeoutMs),
        ),
      ),
    );
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log.error({ err: r.reason, hook: name, owner: list[i].owner }, 'action handler failed');
    });
  }

  private active(map: Map<string, Entry[]>, name: string, ctx: HookContext): Entry[] {
    return (map.get(name) ?? []).filter((e) => e.owner === 'core' || this.isEnabled(e.owner, ctx.companyId));
  }

  private add(map: Map<string, Entry[]>, name: string, fn: Entry['fn'], opts: HookOptions, defaultTimeout: number) {
    const entry: Entry = {
      fn,
      priority: opts.priority ?? 50,
      owner: opts.owner ?? 'core',
      timeoutMs: opts.timeoutMs ?? defaultTimeout,
      critical: opts.critical ?? false,
      seq: this.seq++,
    };
    const list = [...(map.get(name) ?? []), entry].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    map.set(name, list);
    return () => {
      map.set(
        name,
        (map.get(name) ?? []).filter((e) => e !== entry),
      );
    };
  }
}

function withTimeout<T>(value: T | Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!(value instanceof Promise)) return Promise.resolve(value);
  let timer: NodeJS.Timeout;
  return Promise.race([
    value,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
