import { createClient } from 'redis';

/** A short-lived PING for /readyz, so a Redis outage shows as degraded, never hangs. */
export async function redisReady(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    await client.quit().catch(() => client.destroy());
  }
}
