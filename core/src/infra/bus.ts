import { EventEmitter } from 'node:events';
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from './logger.ts';

/**
 * Cross-node notifications (plugin enablement changed, permissions changed…).
 * One node: an in-process emitter. Several nodes: Redis pub/sub on REDIS_URL.
 * Local subscribers also get what this node publishes.
 */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, handler: (message: any) => void): () => void;
  close(): Promise<void>;
}

const PREFIX = 'kefu:bus:';

export class LocalBus implements Bus {
  protected emitter = new EventEmitter().setMaxListeners(0);
  async publish(channel: string, message: unknown) {
    this.emitter.emit(channel, message);
  }
  subscribe(channel: string, handler: (m: any) => void) {
    this.emitter.on(channel, handler);
    return () => void this.emitter.off(channel, handler);
  }
  async close() {
    this.emitter.removeAllListeners();
  }
}

export class RedisBus extends LocalBus {
  private constructor(
    private readonly pub: RedisClientType,
    private readonly sub: RedisClientType,
  ) {
    super();
  }

  static async connect(url: string, log: Logger): Promise<RedisBus> {
    const pub = createClient({ url }) as RedisClientType;
    const sub = pub.duplicate() as RedisClientType;
    for (const c of [pub, sub]) c.on('error', (err) => log.warn({ err }, 'redis bus error'));
    await Promise.all([pub.connect(), sub.connect()]);
    const bus = new RedisBus(pub, sub);
    await sub.pSubscribe(PREFIX + '*', (raw, channel) => {
      try {
        bus.emitter.emit(channel.slice(PREFIX.length), JSON.parse(raw));
      } catch (err) {
        log.warn({ err, channel }, 'bad bus message');
      }
    });
    return bus;
  }

  override async publish(channel: string, message: unknown) {
    // Delivered locally through the pattern subscription, like on every other node.
    await this.pub.publish(PREFIX + channel, JSON.stringify(message ?? null));
  }

  override async close() {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
    await super.close();
  }
}
