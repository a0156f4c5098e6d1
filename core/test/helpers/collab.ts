import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { HookRegistry } from '../../src/hooks/hook-registry.ts';
import { addAgent, AGENT_PASSWORD, signIn } from './accounts.ts';
import { agentSocket, call, visitorSocket } from './sockets.ts';

/** Helpers of the agent-actions suites (transfer, monitor, invitations). */

export const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

export interface CollabKefu {
  k: TestKefu;
  admin: TestClient;
  /** Database ids of the agents by agent ID. */
  id: Record<string, number>;
  /** Group Sales = bob + cat. */
  salesGroup: number;
  /** Every `conversation.assigned` since the last `assigned.length = 0`. */
  assigned: any[];
  /** Moves the server's clock (timeouts) without waiting. */
  shift(ms: number): void;
}

/**
 * A server with automatic assignment off and agents: ann, bob, cat (new-agent
 * rights), mon (accept + monitor), boss (a second admin), eve (accept only),
 * pro (proactive only).
 */
export async function startCollab(): Promise<CollabKefu> {
  let offset = 0;
  const k = await startTestServer({}, { clock: { now: () => new Date(Date.now() + offset) } });
  const admin = await k.login();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  const id: Record<string, number> = { admin: Number((await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'admin' }).first('id')).id) };
  for (const a of ['ann', 'bob', 'cat']) id[a] = (await addAgent(admin, a)).id;
  id.mon = (await addAgent(admin, 'mon', { permissions: ['conversation.accept', 'conversation.monitor'] })).id;
  id.boss = (await addAgent(admin, 'boss', { role: 'admin' })).id;
  id.eve = (await addAgent(admin, 'eve', { permissions: ['conversation.accept'] })).id;
  id.pro = (await addAgent(admin, 'pro', { permissions: ['visitor.proactive'] })).id;
  const salesGroup = (await admin.post('/api/groups', { name: 'Sales', memberIds: [id.bob, id.cat] })).body.id;
  const assigned: any[] = [];
  k.server.container.resolve(HookRegistry).addAction('conversation.assigned', (p) => void assigned.push(p));
  return { k, admin, id, salesGroup, assigned, shift: (ms) => (offset = ms) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A console socket of `agentId`, present with `status` (the `admin` of the company uses its own password). */
export async function online(k: TestKefu, agentId: string, status = 'online', publicId = k.company.publicId): Promise<Socket> {
  const client = agentId === 'admin' ? await k.login('admin', undefined, publicId) : await signIn(k, agentId, AGENT_PASSWORD, { publicId });
  const s = await agentSocket(k.url, client);
  const r = await call(s, 'presence.set', { status });
  if (!r.ok) throw new Error(`presence.set ${status} for ${agentId}: ${JSON.stringify(r)}`);
  return s;
}

/** A visitor whose chat request the agent accepted (automatic assignment is off in this suite). */
export async function served(k: TestKefu, agent: Socket) {
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const acc = await call(agent, 'conversation.accept', { conversationId: req.conversation.id });
  if (!acc.ok) throw new Error(`accept failed: ${JSON.stringify(acc)}`);
  return { v, conv: acc.conversation };
}

/** Resolves true when no `event` matching `where` arrived within `ms`. */
export function none(s: Socket, event: string, where: (m: any) => boolean = () => true, ms = 300): Promise<boolean> {
  return new Promise((resolve) => {
    let got = false;
    const on = (m: any) => {
      if (where(m)) got = true;
    };
    s.on(event, on);
    setTimeout(() => {
      s.off(event, on);
      resolve(!got);
    }, ms);
  });
}

/** Collects every `event` a socket receives from now on. */
export function collect(s: Socket, event: string): any[] {
  const seen: any[] = [];
  s.on(event, (m) => seen.push(m));
  return seen;
}

export async function visitorIdOf(k: TestKefu, visitorNumber: number, companyId = k.company.id): Promise<number> {
  const row = await k.server.db('visitors').where({ company_id: companyId, number: visitorNumber }).first('id');
  return Number(row.id);
}

/** Row counts of the tables these features write, and where each conversation is: a refusal must change none of it. */
export async function snapshot(k: TestKefu) {
  const n = async (table: string) => Number((await k.server.db(table).count('* as n').first())!.n);
  const convs = await k.server.db('conversations').orderBy('id').select('id', 'status', 'agent_id');
  return {
    transfers: await n('transfers'),
    pending: await k.server.db('transfers').where({ status: 'pending' }).select('id', 'status'),
    monitors: await n('monitors'),
    invitations: await n('invitations'),
    messages: await n('messages'),
    convs,
  };
}

/** Closes sockets and lets the server record the disconnects before the next test signs the same agents in. */
export async function closeAll(...sockets: Socket[]) {
  for (const s of sockets) s.close();
  await sleep(150);
}
