import { commands, connectVisitor, count, deadline, finish, inBatches, onlyLocal, sockets } from './clients.ts';
import { percentiles, sleep } from './lib.ts';

/**
 * Browsing visitors (bench/browsing.ts): N visitors connect to `/visitor`, then,
 * on "go" from the harness, send `rate` page views/s in total for `warmup` +
 * `seconds`, visitors taken in a fixed random order so each sends one every
 * N / rate seconds. Each URL carries `bt=<n>_<epoch ms>`, read by the agents'
 * process (bench/watch-gen.ts) to time the list update.
 */
interface Params {
  target: 'kefu' | 'bare';
  url: string;
  companyId?: number;
  visitors: number;
  rate: number;
  warmup: number;
  seconds: number;
}
const P: Params = JSON.parse(process.argv[2]);
onlyLocal(P.url);
deadline(600 + P.warmup + P.seconds);
const next = commands();
const stamp = () => performance.timeOrigin + performance.now();

const t0 = Date.now();
await inBatches(P.visitors, 100, () => connectVisitor(P.url, P.companyId));
const connectMs = Date.now() - t0;
console.log('PHASE connected');
if ((await next()) !== 'go') process.exit(1);

const order = sockets.map((_, i) => i).sort(() => Math.random() - 0.5);
const total = Math.round(P.rate * (P.warmup + P.seconds));
const measuredFrom = Math.round(P.rate * P.warmup);
const errors: Record<string, number> = {};
const ackMs: number[] = [];
let acked = 0;
let sent = 0;
let maxLag = 0;
const start = performance.now();
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * P.rate) / 1000) + 1);
    for (; sent < due; sent++) {
      if (sent === measuredFrom) console.log('PHASE measure');
      maxLag = Math.max(maxLag, now - (start + (sent * 1000) / P.rate));
      const at = performance.now();
      const measured = sent >= measuredFrom;
      sockets[order[sent % order.length]].emit(
        'page.view',
        { url: `https://shop.example/p/${sent % 100}?bt=${sent}_${stamp()}`, title: `Product ${sent % 100}` },
        (r: any) => {
          if (!r?.ok) return count(errors, r);
          acked++;
          if (measured) ackMs.push(performance.now() - at);
        },
      );
    }
    if (sent >= total) {
      clearInterval(tick);
      resolve();
    }
  }, 2);
});
console.log('PHASE done');
for (const until = Date.now() + 15_000; acked + Object.values(errors).reduce((a, b) => a + b, 0) < sent && Date.now() < until;) await sleep(50);
finish({
  visitors: P.visitors,
  connected: sockets.filter((s) => s.connected).length,
  connectMs,
  sent,
  measuredFrom,
  acked,
  errors,
  maxSchedulerLagMs: Math.round(maxLag),
  ackMs: percentiles(ackMs),
});
