import crypto from 'node:crypto';
import test from 'ava';
import type { Socket } from 'socket.io-client';
import type { TestClient } from '@kefu/core/testing';
import { signIn } from './helpers/accounts.ts';
import { agentSocket, call, next } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, served, startCollab } from './helpers/collab.ts';
import { peBytes, pngBytes, upload } from './helpers/uploads.ts';

/** Agent-to-agent chat: one status everywhere, server times with 已送达/已读, files and shared conversations (SPEC INTERNAL). */
let c: CollabKefu;
const uuid = () => crypto.randomUUID();
const sockets: Socket[] = [];

test.before(async () => {
  c = await startCollab();
});
test.after.always(async () => {
  await closeAll(...sockets);
  await c?.k.close();
});

/** A signed-in console of `agentId` with `status` (the company's `admin` uses its own password). */
async function agent(agentId: string, status?: string): Promise<{ client: TestClient; s: Socket }> {
  const client = agentId === 'admin' ? await c.k.login() : await signIn(c.k, agentId);
  const s = await agentSocket(c.k.url, client);
  sockets.push(s);
  if (status) {
    const r = await call(s, 'presence.set', { status });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  return { client, s };
}
const rosterOf = async (s: Socket) => (await call(s, 'internal.roster', {})).agents as any[];
const entry = async (s: Socket, id: number) => (await rosterOf(s)).find((a) => a.id === id);
const thread = async (s: Socket, withAgentId: number) => (await call(s, 'internal.history', { withAgentId })).messages as any[];

test.serial(
  `INTERNAL-PRESENCE-2 one status in the roster, transfer dialog and agent detail; an invisible admin is 离线 to non-admins (${driver})`,
  async (t) => {
    const [ann, eve, admin] = [await agent('ann'), await agent('eve', 'online'), await agent('admin', 'online')];
    const busyAt = Date.now();
    const seen = next(ann.s, 'presence.changed', (m) => m.agentId === c.id.eve && m.status === 'busy');
    t.true((await call(eve.s, 'presence.set', { status: 'busy' })).ok);
    await seen;
    for (const viewer of [ann.s, admin.s]) {
      const e = await entry(viewer, c.id.eve);
      t.like(e, { status: 'busy', reason: 'manual', nickname: 'eve', load: 0, cap: 5 });
      t.true(Math.abs(new Date(e.since).getTime() - busyAt) < 5000, 'since when: the server time of the change');
    }
    t.like(
      (await call(admin.s, 'transfer.targets', {})).agents.find((a: any) => a.agentId === c.id.eve),
      { status: 'busy' },
    );
    t.is((await c.admin.get(`/api/agents/${c.id.eve}/detail`)).body.status, 'busy');
    t.is((await entry(ann.s, c.id.ann)) ?? null, null, 'oneself is not in the roster');
    t.like(await entry(ann.s, c.id.bob), { status: 'offline', groupIds: [c.salesGroup] }, 'an agent without a console is 离线');
    const signedIn = await agent('bob');
    await call(signedIn.s, 'internal.unread'); // answered once the console's presence is recorded
    t.like(await entry(ann.s, c.id.bob), { status: 'online', reason: 'login' }, 'online since signing in');
    signedIn.s.close();
    t.is((await entry(ann.s, c.id.pro)).load, null, 'no load for agents who do not take chats');

    const boss = await agent('boss');
    const toAdmin = next(admin.s, 'presence.changed', (m) => m.agentId === c.id.boss && m.status === 'invisible');
    const toAnn = next(ann.s, 'presence.changed', (m) => m.agentId === c.id.boss && m.status === 'offline');
    const neverInvisible = none(ann.s, 'presence.changed', (m) => m.status === 'invisible', 600);
    t.true((await call(boss.s, 'presence.set', { status: 'invisible' })).ok);
    await Promise.all([toAdmin, toAnn]);
    t.true(await neverInvisible, 'an agent is never told 隐身');
    t.like(await entry(admin.s, c.id.boss), { status: 'invisible', reason: 'manual' });
    t.like(await entry(ann.s, c.id.boss), { status: 'offline', since: null, reason: null }, 'nothing tells an agent the admin is there');
    t.like(
      (await call(admin.s, 'transfer.targets', {})).agents.find((a: any) => a.agentId === c.id.boss),
      { status: 'invisible' },
    );
    t.falsy((await call(ann.s, 'transfer.targets', {})).agents.find((a: any) => a.agentId === c.id.boss));
    t.is((await c.admin.get(`/api/agents/${c.id.boss}/detail`)).body.status, 'invisible');

    // The invisible admin reads ann's message: ann gets no 已送达 or 已读.
    const noReceipt = none(ann.s, 'internal.receipt', () => true, 600);
    const sent = await call(ann.s, 'internal.send', { toAgentId: c.id.boss, clientId: uuid(), text: 'are you there?' });
    t.true((await call(boss.s, 'internal.delivered', { messageIds: [sent.message.id] })).delivered === 1);
    t.is((await call(boss.s, 'internal.read', { withAgentId: c.id.ann })).read, 1);
    t.true(await noReceipt);
    t.like((await thread(ann.s, c.id.boss)).at(-1), { id: sent.message.id, deliveredAt: null, readAt: null });
    t.is((await call(boss.s, 'internal.unread')).total, 0, 'the admin has read it all the same');
    // An admin colleague does see the invisible admin's receipts.
    const fromAdmin = await call(admin.s, 'internal.send', { toAgentId: c.id.boss, clientId: uuid(), text: 'hi boss' });
    const adminReceipt = next(admin.s, 'internal.receipt', (r) => r.kind === 'read');
    await call(boss.s, 'internal.read', { withAgentId: c.id.admin });
    t.deepEqual((await adminReceipt).messageIds, [fromAdmin.message.id]);
    await call(boss.s, 'presence.set', { status: 'online' });
  },
);

test.serial(`INTERNAL-TIMES-4 server send time; 已送达 when the recipient's first console gets it, 已读 when they open the thread (${driver})`, async (t) => {
  const ann = await agent('ann');
  c.shift(3 * 3600_000);
  try {
    const before = Date.now() + 3 * 3600_000;
    const sent = await call(ann.s, 'internal.send', { toAgentId: c.id.cat, clientId: uuid(), text: 'for later' });
    t.true(Math.abs(new Date(sent.message.createdAt).getTime() - before) < 5000, 'the time is the server clock, not the sender’s');
    t.like(sent.message, { deliveredAt: null, readAt: null });

    // Cat was not signed in; her console fetches its counts on connecting: delivered.
    const delivered = next(ann.s, 'internal.receipt', (r) => r.kind === 'delivered');
    const cat = await agent('cat');
    t.is((await call(cat.s, 'internal.unread')).total, 1);
    const d = await delivered;
    t.like(d, { byAgentId: c.id.cat, messageIds: [sent.message.id] });
    t.true(Math.abs(new Date(d.at).getTime() - before) < 5000);

    // While she is on, her console confirms each message it receives; only messages to her count.
    const live = await call(ann.s, 'internal.send', { toAgentId: c.id.cat, clientId: uuid(), text: 'now' });
    t.is((await call(ann.s, 'internal.delivered', { messageIds: [live.message.id] })).delivered, 0, 'the sender cannot mark it delivered');
    const liveDelivered = next(ann.s, 'internal.receipt', (r) => r.kind === 'delivered');
    t.is((await call(cat.s, 'internal.delivered', { messageIds: [live.message.id] })).delivered, 1);
    t.deepEqual((await liveDelivered).messageIds, [live.message.id]);
    t.is((await call(cat.s, 'internal.delivered', { messageIds: [live.message.id] })).delivered, 0, 'the first console’s time stays');

    const read = next(ann.s, 'internal.receipt', (r) => r.kind === 'read');
    await call(cat.s, 'internal.read', { withAgentId: c.id.ann });
    t.deepEqual((await read).messageIds.sort(), [sent.message.id, live.message.id].sort());
    const mine = await thread(ann.s, c.id.cat);
    for (const m of mine.slice(-2)) {
      t.truthy(m.deliveredAt);
      t.truthy(m.readAt);
      t.true(m.readAt >= m.deliveredAt && m.deliveredAt >= m.createdAt);
    }
    t.is((await call(cat.s, 'internal.delivered', { messageIds: [] })).error.code, 'validation_failed');
  } finally {
    c.shift(0);
  }
});

test.serial(
  `INTERNAL-FILES-5 images and files under the conversation rules; only the thread's members open them; a recall deletes them (${driver})`,
  async (t) => {
    const [ann, bob, cat] = [await agent('ann'), await agent('bob'), await agent('cat')];
    const get = (url: string, client: TestClient) => fetch(c.k.url + url, { headers: { cookie: client.cookie ?? '' } });
    const up = (client: TestClient, bytes: Buffer, name: string) => upload(c.k.url, '/api/files', { file: { bytes, name } }, client);

    const image = await up(ann.client, await pngBytes(800, 600), 'shelf.png');
    t.is(image.status, 201, image.text);
    const toBob = next(bob.s, 'internal.message', (m) => m.message.file);
    const sent = await call(ann.s, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), fileKey: image.body.file.key });
    t.true(sent.ok, JSON.stringify(sent));
    const { message } = await toBob;
    t.like(message.file, { name: 'shelf.png', kind: 'image', mime: 'image/png', width: 800, height: 600, url: `/f/${image.body.file.key}` });
    t.is(message.file.thumbUrl, `/f/${image.body.file.key}/thumb`);
    t.is((await get(message.file.thumbUrl, bob.client)).headers.get('content-type'), 'image/webp', 'a thumbnail');
    t.is((await get(message.file.url, bob.client)).status, 200);
    t.is((await get(message.file.url, ann.client)).status, 200);
    const outsider = await get(message.file.url, cat.client);
    t.is(outsider.status, 404, 'a colleague outside the thread');
    t.is((await outsider.json()).error.code, 'not_found');
    t.is((await get(message.file.url, c.admin)).status, 404, 'admins included');
    t.is((await get(image.body.links.url, cat.client)).status, 404, "the uploader's signed link does not open it either");

    const again = await call(ann.s, 'internal.send', { toAgentId: c.id.cat, clientId: uuid(), fileKey: image.body.file.key });
    t.is(again.error.code, 'file_already_sent');
    const notMine = await call(cat.s, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), fileKey: image.body.file.key });
    t.is(notMine.error.fields[0].code, 'not_found', "another agent's upload cannot be sent");

    const pdf = await up(ann.client, Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'), 'price list.pdf');
    const doc = await call(ann.s, 'internal.send', { toAgentId: c.id.bob, clientId: uuid(), fileKey: pdf.body.file.key });
    t.like(doc.message.file, { name: 'price list.pdf', kind: 'file', mime: 'application/pdf' });
    t.is(doc.message.file.thumbUrl, undefined);
    t.regex((await get(doc.message.file.url, bob.client)).headers.get('content-disposition')!, /^attachment;/, 'a file is downloaded, never opened');

    const exe = await up(ann.client, peBytes(), 'setup.exe');
    t.is(exe.status, 400);
    t.is(exe.body.error.fields[0].code, 'file_type_not_allowed', 'the company’s type rules of conversations');

    const recalled = next(bob.s, 'internal.recalled');
    t.truthy((await call(ann.s, 'internal.recall', { messageId: doc.message.id })).message.recalledAt);
    t.is((await recalled).message.file, null);
    t.is((await get(doc.message.file.url, bob.client)).status, 404, 'a recalled file is deleted');
    t.is(await c.k.server.db('files').where({ key: pdf.body.file.key }).first(), undefined);
  },
);

test.serial(`INTERNAL-SHARE-8 发给同事 posts a card naming a conversation; only those allowed to see it open it, others get 404 (${driver})`, async (t) => {
  const [eve, ann, cat, mon] = [await agent('eve', 'online'), await agent('ann'), await agent('cat'), await agent('mon')];
  const { v, conv } = await served(c.k, eve.s);
  sockets.push(v.socket);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: uuid(), text: 'Where is my parcel?' });

  const toAnn = next(ann.s, 'internal.message', (m) => m.message.share);
  const sent = await call(eve.s, 'internal.send', { toAgentId: c.id.ann, clientId: uuid(), conversationId: conv.id, text: 'Can you check this one?' });
  t.true(sent.ok, JSON.stringify(sent));
  const { message } = await toAnn;
  t.like(message, { text: 'Can you check this one?', file: null });
  t.like(message.share, { conversationId: conv.id, agentNickname: 'eve', excerpt: 'Where is my parcel?' });
  t.regex(message.share.visitorName, /^#\d+$/, 'the visitor by number when they gave no name');
  t.truthy(message.share.startedAt);
  t.deepEqual(Object.keys(message.share).sort(), ['agentNickname', 'conversationId', 'excerpt', 'startedAt', 'visitorName'], 'the transcript is never copied');

  // Opening the card: the conversation's own visibility decides.
  const open = (client: TestClient) => client.get(`/api/history/conversations/${conv.id}`);
  const annOpens = await open(ann.client);
  t.is(annOpens.status, 404, 'ann never served it');
  t.is(annOpens.body.error.code, 'not_found');
  t.is((await open(eve.client)).status, 200);
  t.is((await open(c.admin)).status, 200, 'admins see every conversation');
  t.is((await open(mon.client)).status, 200, 'while live, a monitor allowed to monitor its agent');

  const notHers = await call(cat.s, 'internal.send', { toAgentId: c.id.ann, clientId: uuid(), conversationId: conv.id });
  t.is(notHers.error.code, 'not_found', 'nobody shares a conversation they cannot see');
  const both = await call(eve.s, 'internal.send', { toAgentId: c.id.ann, clientId: uuid(), conversationId: conv.id, fileKey: 'x'.repeat(32) });
  t.is(both.error.code, 'validation_failed');
});
