import crypto from 'node:crypto';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import type { BuildInfo } from './build-info.ts';

const BEAT_MS = 10_000;
/** A node not seen for this long is gone (crashed or stopped without saying so). */
export const NODE_EXPIRY_MS = 30_000;
/** Rows of nodes gone this long are removed by whichever node beats next. */
const FORGET_MS = 24 * 3600_000;

export interface LiveNode {
  version: string;
  commit: string | null;
  startedAt: string;
}

/** The nodes seen in the last 30 s, oldest first. */
export async function liveNodes(db: Db, now: Date): Promise<LiveNode[]> {
  const rows = await db('cluster_nodes')
    .where('seen_at', '>', new Date(now.getTime() - NODE_EXPIRY_MS))
    .orderBy('started_at')
    .select('version', 'commit', 'started_at');
  return rows.map((r) => ({ version: r.version, commit: r.commit ?? null, startedAt: new Date(r.started_at).toISOString() }));
}

/** Keeps this node's row in `cluster_nodes` fresh while it runs; `stop` removes it. */
export function startNodeHeartbeat(db: Db, log: Logger, build: BuildInfo): { stop(): Promise<void> } {
  const id = crypto.randomUUID();
  const startedAt = new Date();
  const beat = async () => {
    const now = new Date();
    try {
      await db('cluster_nodes')
        .insert({ id, version: build.version, commit: build.commit, started_at: startedAt, seen_at: now })
        .onConflict('id')
        .merge(['seen_at']);
      await db('cluster_nodes')
        .where('seen_at', '<', new Date(now.getTime() - FORGET_MS))
        .delete();
    } catch (err) {
      log.warn({ err }, 'node heartbeat failed');
    }
  };
  const first = beat();
  const timer = setInterval(() => void beat(), BEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await first;
      await db('cluster_nodes')
        .where({ id })
        .delete()
        .catch((err: unknown) => log.warn({ err }, 'node row not removed'));
    },
  };
}
