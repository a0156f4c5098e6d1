import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';

/** Who the 测试 box of the routing rules lists as eligible now (SPEC ASSIGN-ELIGIBLE-2, ASSIGN-RULES-4). */
let k: TestKefu;
let admin: TestClient;
const sockets: Socket[] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

async function console_(agentId: string, status: string, autoAccept?: boolean) {
  const s = await agentSocket(k.url, await signIn(k, agentId));
  sockets.push(s);
  const r = await call(s, 'presence.set', autoAccept === undefined ? { status } : { status, autoAccept });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return s;
}

test.serial('ASSIGN-ELIGIBLE-2: only connected 在线 agents with conversation.accept, 自动接入 on and load below their cap are eligible', async (t) => {
  const accept = { permissions: ['conversation.accept'] };
  await addAgent(admin, 'ann', accept);
  await addAgent(admin, 'bob', accept);
  await addAgent(admin, 'cat', accept);
  await addAgent(admin, 'dan', { permissions: [] });
  const eve = await addAgent(admin, 'eve', accept);
  await addAgent(admin, 'fay', accept); // never opens a console
  const admins = await agentSocket(k.url, admin);
  sockets.push(admins);
  await call(admins, 'presence.set', { status: 'away' });

  const annConsole = await console_('ann', 'online');
  await console_('bob', 'busy');
  await console_('cat', 'online', false);
  const dan = await agentSocket(k.url, await signIn(k, 'dan'));
  sockets.push(dan);
  t.is((await call(dan, 'presence.set', { status: 'online' })).error.code, 'status_not_allowed', 'without conversation.accept one stays away');
  const eveConsole = await console_('eve', 'online');

  const eligible = async () => ((await admin.post('/api/settings/routing-rules/test', {})).body.agents as { nickname: string }[]).map((a) => a.nickname).sort();
  t.deepEqual(await eligible(), ['ann', 'eve'], 'busy, 自动接入 off, no conversation.accept, offline and away agents are left out');

  // Eve at her cap of 1: a chat assigned to her takes her out until it ends.
  t.is((await admin.patch(`/api/agents/${eve.id}`, { version: eve.version, maxChats: 1 })).status, 200);
  await call(annConsole, 'presence.set', { status: 'away' }); // Ann steps away so the chat goes to Eve
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const { conversation } = await call(v.socket, 'chat.request', {});
  const served = await k.server.db('conversations').where({ id: conversation.id }).first('agent_id');
  t.is(Number(served.agent_id), eve.id);
  t.deepEqual(await eligible(), [], 'Eve is at her cap, Ann is away');
  t.true((await call(eveConsole, 'conversation.end', { conversationId: conversation.id })).ok);
  t.deepEqual(await eligible(), ['eve']);
});
