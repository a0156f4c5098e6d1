import { browsing } from './browsing.ts';
import { consoleFirstLoad } from './console-first-load.ts';
import { historySearch } from './history-search.ts';
import { idleMemory } from './idle-memory.ts';
import { maxRate } from './max-rate.ts';
import { robotMatch } from './robot-match.ts';
import { roundTrip } from './round-trip.ts';
import { soak } from './soak.ts';
import { twoNodes } from './two-nodes.ts';
import { widgetTti } from './widget-tti.ts';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- round-trip` one of them.
 * Each writes JSON under bench/out/ and prints one line. Servers and load
 * generators are child processes on 127.0.0.1 and stop by themselves.
 */
const benches: Record<string, () => Promise<string>> = {
  'round-trip': roundTrip,
  'max-rate': maxRate,
  'idle-memory': idleMemory,
  'robot-match': robotMatch,
  browsing,
  'history-search': historySearch,
  'two-nodes': twoNodes,
  soak,
  'console-first-load': consoleFirstLoad,
  'widget-tti': widgetTti,
};
const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of picked) if (!benches[name]) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}`);
const stop = setTimeout(() => {
  console.error('bench: overall time limit (90 min) reached');
  process.exit(1);
}, 90 * 60_000);
stop.unref();
let failed = 0;
for (const name of picked.length ? picked : Object.keys(benches)) {
  try {
    console.log(await benches[name]());
  } catch (err) {
    failed++;
    console.log(`${name}: FAILED ${(err as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
