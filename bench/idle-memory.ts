import { dbKinds, num, runLoadGen, sleep, onEachServer, writeResult } from './lib.ts';

/**
 * Memory per connected idle visitor: the server's memory before and after
 * BENCH_IDLE_VISITORS (2000) visitors connect and sit idle, divided by their
 * number; Kefu versus the bare socket.io relay (target ≤ 2×). Each sample is
 * taken after BENCH_IDLE_SETTLE (8) seconds and a full GC inside the server
 * (bench/mem-probe.mjs), so garbage from the connection work is not counted.
 * Two figures: resident memory (RSS, what the machine pays, noisy because V8
 * and PGlite keep or return pages as they like) and the live JS heap
 * (heapUsed + external after the GC, steady); both must be within the target.
 */
export async function idleMemory(): Promise<string> {
  const visitors = num('BENCH_IDLE_VISITORS', 2000);
  const settle = num('BENCH_IDLE_SETTLE', 8);
  const dbs = dbKinds();
  const runs = await onEachServer(dbs, async (server, target, name) => {
    await sleep(settle * 1000);
    const before = await server.memory();
    let after: NodeJS.MemoryUsage | null = null;
    let sampled: Promise<void> = Promise.resolve();
    const params = { mode: 'idle', target, url: server.url, companyId: server.companyId, visitors, hold: settle + 6 };
    const result = await runLoadGen(params, (settle + 300) * 1000, (phase) => {
      if (phase === 'connected')
        sampled = sleep(settle * 1000)
          .then(() => server.memory())
          .then((m) => void (after = m));
    });
    await sampled;
    if (result.error) throw new Error(`${name}: ${result.error}`);
    if (!after) throw new Error(`${name}: no sample while the visitors were connected`);
    const a: NodeJS.MemoryUsage = after;
    const heap = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
    return {
      ...result,
      before: mib(before),
      after: mib(a),
      rssBytesPerVisitor: Math.round((a.rss - before.rss) / visitors),
      heapBytesPerVisitor: Math.round((heap(a) - heap(before)) / visitors),
    };
  });
  const bare = runs.bare;
  const ratio = (x: number, y: number) => Math.round((x / y) * 100) / 100;
  const summary = dbs.map((db) => {
    const k = runs[`kefu-${db}`];
    const r = {
      db,
      rssBytesPerVisitor: k.rssBytesPerVisitor,
      rssRatio: ratio(k.rssBytesPerVisitor, bare.rssBytesPerVisitor),
      heapRatio: ratio(k.heapBytesPerVisitor, bare.heapBytesPerVisitor),
    };
    // Both figures must be within the target: RSS is what an operator pays, the heap is the steadier measure.
    return { ...r, meetsTarget: r.rssRatio <= 2 && r.heapRatio <= 2 };
  });
  const file = writeResult('idle-memory', {
    visitors,
    settleSeconds: settle,
    target: 'Kefu ≤ 2× bare socket.io per idle visitor (RSS and live heap after GC)',
    runs,
    summary,
  });
  const parts = summary.map(
    (s) =>
      `Kefu/${s.db} ${kib(s.rssBytesPerVisitor)} KiB RSS → ${s.rssRatio}×${s.rssBytesPerVisitor <= 0 ? ' (RSS fell: not meaningful)' : ''}, heap ${s.heapRatio}× ${s.meetsTarget ? 'OK' : 'MISSES'}`,
  );
  return `idle-memory (${visitors} idle visitors, growth per visitor after GC): bare ${kib(bare.rssBytesPerVisitor)} KiB RSS, ${kib(bare.heapBytesPerVisitor)} KiB heap; ${parts.join('; ')} (target ≤ 2×) [${file}]`;
}

const mib = (m: NodeJS.MemoryUsage) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k + 'MiB', Math.round((v / 2 ** 20) * 10) / 10]));
const kib = (b: number) => Math.round((b / 1024) * 10) / 10;
