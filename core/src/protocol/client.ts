/**
 * Typed realtime client for both front ends (widget and console). Type-only
 * imports of the zod schemas: nothing of zod reaches a browser bundle.
 */
import type { Socket } from 'socket.io-client';
import type { z } from 'zod';
import type { agentClientEvents, agentServerEvents } from './agent-events.ts';
import type { visitorClientEvents, visitorServerEvents } from './visitor-events.ts';
import type { MessageStyle } from './message-style.ts';

type EventMap = Record<string, { payload: z.ZodType; ack?: z.ZodType }>;
export interface ErrorAck {
  error: { code: string; message: string; fields?: { path: string; code: string; message: string }[]; [k: string]: unknown };
}
export type AckOf<E extends EventMap, K extends keyof E> = E[K] extends { ack: z.ZodType } ? z.output<E[K]['ack']> : { ok: true };
export type PayloadOf<E extends EventMap, K extends keyof E> = z.input<E[K]['payload']>;
export type PushOf<E extends EventMap, K extends keyof E> = z.output<E[K]['payload']>;

export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorAck['error'],
  ) {
    super(message);
  }
}

export interface TypedClient<C extends EventMap, S extends EventMap> {
  readonly socket: Socket;
  /** Emits with an ack; resolves with the ack or rejects with a RealtimeError (`timeout` when none came). */
  call<K extends keyof C & string>(event: K, payload: PayloadOf<C, K>, timeoutMs?: number): Promise<AckOf<C, K>>;
  on<K extends keyof S & string>(event: K, fn: (payload: PushOf<S, K>) => void): () => void;
}

function typed<C extends EventMap, S extends EventMap>(socket: Socket): TypedClient<C, S> {
  return {
    socket,
    async call(event, payload, timeoutMs = 10_000) {
      let res: any;
      try {
        res = await socket.timeout(timeoutMs).emitWithAck(event, payload);
      } catch {
        throw new RealtimeError('timeout', `No answer to ${event}`, { code: 'timeout', message: 'No answer' });
      }
      if (res?.error) throw new RealtimeError(res.error.code, res.error.message, res.error);
      return res;
    },
    on(event, fn) {
      socket.on(event as string, fn as never);
      return () => void socket.off(event as string, fn as never);
    },
  };
}

export type VisitorClient = TypedClient<typeof visitorClientEvents, typeof visitorServerEvents>;
export type AgentClient = TypedClient<typeof agentClientEvents, typeof agentServerEvents>;
export const visitorClient = (socket: Socket): VisitorClient => typed(socket);
export const agentClient = (socket: Socket): AgentClient => typed(socket);

export interface PendingSend {
  conversationId: number;
  clientId: string;
  text: string;
  /** An agent's palette colour and bold (CONV-FONT-13). */
  style?: MessageStyle;
}

/**
 * No message typed is ever lost (CONV-IDEMPOTENT-9): sends wait in order while
 * offline and go out with their original client ids on reconnect; each is
 * marked sent only when its ack arrives. `persist` lets the caller keep the
 * queue across reloads (localStorage in the browser).
 */
export class Outbox<M> {
  private queue: PendingSend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly send: (p: PendingSend) => Promise<M>,
    private readonly hooks: {
      onSent?: (p: PendingSend, m: M) => void;
      onFailed?: (p: PendingSend, err: unknown) => void;
      persist?: (q: PendingSend[]) => void;
    } = {},
    restored: PendingSend[] = [],
  ) {
    this.queue = [...restored];
  }

  get pending(): readonly PendingSend[] {
    return this.queue;
  }

  push(p: PendingSend): Promise<void> {
    this.queue.push(p);
    this.hooks.persist?.(this.queue);
    return this.flush();
  }

  /** Sends what is queued, in order; stops at the first transport failure and keeps the rest. */
  flush(): Promise<void> {
    // Cleared in a .finally attached after assignment: an empty run must not leave a settled promise behind.
    return (this.flushing ??= this.run().finally(() => {
      this.flushing = null;
    }));
  }

  private async run(): Promise<void> {
    while (this.queue.length) {
      const head = this.queue[0];
      try {
        const m = await this.send(head);
        this.queue.shift();
        this.hooks.persist?.(this.queue);
        this.hooks.onSent?.(head, m);
      } catch (err) {
        if (err instanceof RealtimeError && err.code !== 'timeout' && err.code !== 'internal_error' && err.code !== 'database_unavailable') {
          // Refused for good (validation, ended conversation): drop it and say so.
          this.queue.shift();
          this.hooks.persist?.(this.queue);
          this.hooks.onFailed?.(head, err);
          continue;
        }
        return;
      }
    }
  }
}
