import { dbKinds, num, rssBytes, runLoadGen, sleep, startBare, startKefu, writeResult, type Server } from './lib.ts';

/**
 * Memory per connected idle visitor: the server's resident memory (RSS from
 * /proc) before and after BENCH_IDLE_VISITORS (2000) visitors connect and sit
 * idle, divided by their number; Kefu versus the bare socket.io relay (target
 * ≤ 2×). Both are measured the same way, after BENCH_IDLE_SETTLE (8) seconds.
 */
export async function idleMemory(): Promise<string> {
  const visitors = num('BENCH_IDLE_VISITORS', 2000);
  const settle = num('BENCH_IDLE_SETTLE', 8);
  const dbs = dbKinds();
  const targets: [string, () => Promise<Server>][] = [['bare', startBare], ...dbs.map((db): [string, () => Promise<Server>] => [`kefu-${db}`, () => startKefu(db)])];
  const runs: Record<string, any> = {};
  for (const [name, start] of targets) {
    const server = await start();
    try {
      await sleep(settle * 1000);
      const before = rssBytes(server.pid);
      let after = NaN;
      let sampled: Promise<void> = Promise.resolve();
      const result = await runLoadGen({ mode: 'idle', target: name === 'bare' ? 'bare' : 'kefu', url: server.url, companyId: server.companyId, visitors, hold: settle + 4 }, (settle + 300) * 1000, (phase) => {
        if (phase === 'connected')
          sampled = sleep(settle * 1000).then(() => {
            after = rssBytes(server.pid);
          });
      });
      await sampled;
      if (result.error) throw new Error(`${name}: ${result.error}`);
      runs[name] = { server: server.kind, ...result, rssBeforeMiB: mib(before), rssAfterMiB: mib(after), bytesPerVisitor: Math.round((after - before) / visitors) };
    } finally {
      await server.stop();
    }
  }
  const bare = runs.bare.bytesPerVisitor;
  const summary = dbs.map((db) => {
    const k = runs[`kefu-${db}`].bytesPerVisitor;
    const ratio = Math.round((k / bare) * 100) / 100;
    return { db, bytesPerVisitor: k, ratio, meetsTarget: ratio <= 2 };
  });
  const file = writeResult('idle-memory', { visitors, settleSeconds: settle, target: 'Kefu ≤ 2× bare socket.io per idle visitor', runs, summary });
  const parts = summary.map((s) => `Kefu/${s.db} ${kib(s.bytesPerVisitor)} KiB → ${s.ratio}× ${s.meetsTarget ? 'OK' : 'MISSES'}`);
  return `idle-memory (${visitors} idle visitors, RSS growth per visitor): bare ${kib(bare)} KiB; ${parts.join('; ')} (target ≤ 2×) [${file}]`;
}

const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const kib = (b: number) => Math.round((b / 1024) * 10) / 10;
