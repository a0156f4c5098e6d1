import test from 'ava';
import type { TestKefu } from '@kefu/core/testing';
import { call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, online, served, sleep, startCollab, visitorIdOf } from './helpers/collab.ts';

/** The toolbar's server side (SPEC §2.1): who makes an icon online, the monitor picker, and what a visitor row says about inviting. */
let c: CollabKefu;
let k: TestKefu;

test.before(async () => {
  c = await startCollab();
  k = c.k;
});
test.after.always(() => c?.k.close());

/** What the chat window is told about the company's service state (cached up to 5 s per node). */
async function widgetState(want: { online: boolean; busy: boolean }) {
  let got: { online: boolean; busy: boolean } = { online: false, busy: false };
  for (let i = 0; i < 70; i++) {
    const r = await fetch(`${k.url}/api/widget/config?c=${k.company.publicId}`);
    const body = (await r.json()) as any;
    got = { online: body.online, busy: body.busy };
    if (got.online === want.online && got.busy === want.busy) break;
    await sleep(100);
  }
  return got;
}

test.serial(
  `TOOLBAR-ONLINE-9 TOOLBAR-BUSY-10 TOOLBAR-AWAY-11 only an online agent with conversation.accept makes the company online and gets assignments (${driver})`,
  async (t) => {
    await k.server
      .db('companies')
      .where({ id: k.company.id })
      .update({ chat_settings: JSON.stringify({ autoAssign: true }) });
    // pro holds no conversation.accept: present, but only ever away, so the company stays offline.
    const pro = await online(k, 'pro', 'away');
    t.is((await call(pro, 'presence.set', { status: 'online' })).error.code, 'status_not_allowed');
    t.deepEqual(await widgetState({ online: false, busy: false }), { online: false, busy: false }, 'nobody who can take chats: offline');

    const eve = await online(k, 'eve', 'busy');
    t.deepEqual(await widgetState({ online: true, busy: true }), { online: true, busy: true }, 'busy: the icon shows busy');
    const v = await visitorSocket(k.url, k.company.publicId);
    const req = await call(v.socket, 'chat.request', {});
    t.true(req.ok, JSON.stringify(req));
    await sleep(300);
    t.like(
      await k.server.db('conversations').where({ id: req.conversation.id }).first('status', 'agent_id'),
      { status: 'queued', agent_id: null },
      'busy: no automatic assignment',
    );

    t.true((await call(eve, 'presence.set', { status: 'away' })).ok);
    t.deepEqual(await widgetState({ online: false, busy: false }), { online: false, busy: false }, 'away counts as offline');
    await sleep(200);
    t.like(await k.server.db('conversations').where({ id: req.conversation.id }).first('status'), { status: 'queued' }, 'away: no automatic assignment');

    const assigned = next(v.socket, 'conversation.updated', (m) => m.conversation.status === 'active', 5000);
    t.true((await call(eve, 'presence.set', { status: 'online' })).ok);
    t.is((await assigned).conversation.agentId, c.id.eve, 'online: the waiting visitor is assigned to her');
    t.deepEqual(await widgetState({ online: true, busy: false }), { online: true, busy: false }, 'online: the icon shows online');

    const v2 = await visitorSocket(k.url, k.company.publicId);
    const second = await call(v2.socket, 'chat.request', {});
    t.is(second.conversation.status, 'active', 'a new request goes straight to the online agent');
    t.is(second.conversation.agentId, c.id.eve);

    await call(v.socket, 'chat.end', { conversationId: req.conversation.id });
    await call(v2.socket, 'chat.end', { conversationId: second.conversation.id });
    await k.server
      .db('companies')
      .where({ id: k.company.id })
      .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
    await closeAll(pro, eve, v.socket, v2.socket);
  },
);

test.serial(
  `TOOLBAR-MONITORBTNS-7 the 监控客服 picker lists whom one may monitor, with status, conversations in progress and already monitored (${driver})`,
  async (t) => {
    const [m, a, adm] = [await online(k, 'mon'), await online(k, 'ann', 'busy'), await online(k, 'admin')];
    const one = await served(k, a);
    t.true((await call(m, 'monitor.start', { agentId: c.id.ann })).ok);
    const picker = (await call(m, 'monitor.targets', {})).agents as any[];
    const ann = picker.find((x) => x.agentId === c.id.ann);
    t.like(ann, { nickname: 'ann', status: 'busy', conversations: 1, watched: true });
    t.like(
      picker.find((x) => x.agentId === c.id.cat),
      { status: 'offline', conversations: 0, watched: false },
      'offline agents are offered too',
    );
    t.false(
      picker.some((x) => x.agentId === c.id.mon || x.agentId === c.id.admin || x.agentId === c.id.boss),
      'neither oneself nor admins for a non-admin',
    );
    const forAdmin = (await call(adm, 'monitor.targets', {})).agents as any[];
    t.true(forAdmin.some((x) => x.agentId === c.id.boss) && !forAdmin.some((x) => x.agentId === c.id.admin), 'an admin may pick other admins, not themselves');
    t.is((await call(a, 'monitor.targets', {})).error.code, 'forbidden', 'only with conversation.monitor');
    t.deepEqual((await call(m, 'monitor.stop', {})).stopped, [c.id.ann]);
    t.false(((await call(m, 'monitor.targets', {})).agents as any[]).find((x) => x.agentId === c.id.ann).watched);
    await call(one.v.socket, 'chat.end', { conversationId: one.conv.id });
    await closeAll(m, a, adm, one.v.socket);
  },
);

test.serial(`TOOLBAR-VISITORBTNS-6 a visitor row says when it is invited or outside the region; invitations there are refused (${driver})`, async (t) => {
  const a = await online(k, 'ann');
  const v = await visitorSocket(k.url, k.company.publicId);
  await call(v.socket, 'page.view', { url: 'https://shop.example.com/', title: 'Home' });
  const visitorId = await visitorIdOf(k, v.visitorNumber);
  const rowOf = async () => ((await call(a, 'workbench.snapshot', {})).visitors as any[]).find((x) => x.id === visitorId);
  t.like(await rowOf(), { state: 'browsing', invitation: null, outsideRegion: false });

  const marked = next(a, 'visitor.updated', (m) => m.visitor.id === visitorId && m.visitor.invitation);
  const shown = next(v.socket, 'invitation');
  t.true((await call(a, 'visitor.invite', { visitorId, text: 'Need help with sizes?' })).ok);
  t.deepEqual((await marked).visitor.invitation, { agentNickname: 'ann' }, 'every console sees who invited');
  const invitation = await shown;
  const cleared = next(a, 'visitor.updated', (m) => m.visitor.id === visitorId && m.visitor.invitation === null);
  t.true((await call(v.socket, 'invitation.respond', { invitationId: invitation.invitation.id, accept: false })).ok);
  await cleared;

  const { version } = (await c.admin.get('/api/settings/region')).body;
  const saved = await c.admin.put('/api/settings/region', {
    version,
    settings: { enabled: true, mode: 'serve', entries: [{ country: '中国' }], unknown: 'refuse' },
  });
  t.is(saved.status, 200, saved.text);
  t.true((await rowOf()).outsideRegion, 'the LAN visitor is outside the served region');
  t.is((await call(a, 'visitor.proactive', { visitorId })).error.code, 'region_not_served');
  t.is((await c.admin.put('/api/settings/region', { version: version + 1, settings: { enabled: false } })).status, 200);
  t.false((await rowOf()).outsideRegion);
  await closeAll(a, v.socket);
});
