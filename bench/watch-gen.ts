import { Socket } from 'engine.io-client';
import { commands, deadline, fail, inBatches, onlyLocal, signInAgents } from './clients.ts';
import { percentiles, sleep } from './lib.ts';

/**
 * Agents watching the live visitor list (bench/browsing.ts). 200 agents receive
 * every page view's list update: a few hundred pushes/s each, tens of thousands
 * in all, more than socket.io-client can decode on the cores the server under
 * test needs. So these agents speak the socket.io protocol over engine.io-client
 * (which keeps the connection alive) and only look for the `bt=<n>_<epoch ms>`
 * marker of bench/browse-gen.ts in each frame; each (agent, page view) counts once.
 * "end <sent>" on stdin: wait for the last updates (≤ 15 s), print the result.
 */
interface Params {
  target: 'kefu' | 'bare';
  url: string;
  companyId?: number;
  adminPassword?: string;
  agents: number;
  /** Page views that will be sent, and the first one measured (after the warm-up). */
  total: number;
  measuredFrom: number;
}
const P: Params = JSON.parse(process.argv[2]);
onlyLocal(P.url);
deadline(900);
const next = commands();
const stamp = () => performance.timeOrigin + performance.now();
const MARK = 'bt=';

const seen = Array.from({ length: P.agents }, () => new Uint8Array(P.total));
const delays: number[] = [];
let delivered = 0;
let otherFrames = 0;

function watch(agent: number, frame: string) {
  let found = false;
  for (let i = frame.indexOf(MARK); i >= 0; i = frame.indexOf(MARK, i + MARK.length)) {
    const end = frame.indexOf('_', i);
    const n = Number(frame.slice(i + MARK.length, end));
    const sentAt = parseFloat(frame.slice(end + 1, end + 24));
    if (!(n >= P.measuredFrom && n < P.total) || seen[agent][n]) continue;
    seen[agent][n] = 1;
    found = true;
    delivered++;
    delays.push(stamp() - sentAt);
  }
  if (!found) otherFrames++;
}

function connectWatcher(agent: number, cookie: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = new Socket(P.url, { path: '/socket.io/', transports: ['websocket'], extraHeaders: cookie ? { cookie } : {} });
    // Engine.io frames carry socket.io packets: 0 = connect, 4 = connect error, 2 = event.
    s.on('open', () => s.send('0/agent,'));
    s.on('message', (data) => {
      const frame = String(data);
      if (frame.startsWith('0/agent,')) resolve();
      else if (frame.startsWith('4/agent,')) reject(new Error(`agent ${agent}: ${frame}`));
      else watch(agent, frame);
    });
    s.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
  });
}

const cookies = P.target === 'kefu' ? await signInAgents(P, [P.url], P.agents, { maxChats: 1 }) : [];
await inBatches(P.agents, 20, (i) => connectWatcher(i, cookies[i])).catch((err) => fail(err.message));
console.log('PHASE connected');
const end = await next();
const sent = Number(end.split(' ')[1]);
const expected = P.agents * Math.max(0, sent - P.measuredFrom);
for (const until = Date.now() + 15_000; delivered < expected && Date.now() < until;) await sleep(100);
console.log('RESULT ' + JSON.stringify({ agents: P.agents, expected, delivered, missing: expected - delivered, otherFrames, delayMs: percentiles(delays) }));
process.exit(0);
