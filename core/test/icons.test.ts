import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, visitorSocket } from './helpers/sockets.ts';
import { noisePng, pngBytes, upload } from './helpers/uploads.ts';
import { StyleImageService } from '../src/settings/style-image-service.ts';

let k: TestKefu;
let admin: TestClient;
let n = 0;
const floatIcon = (extra: Record<string, unknown> = {}) => ({ name: `Icon ${++n}`, type: 'float', ...extra });
async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 50))) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
  }
}
const fields = (r: { body: any }) => (r.body.error.fields ?? []).map((f: any) => `${f.path}:${f.code ?? ''}`);

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  // Only agents signed in by a test serve: the admin stays away.
  await k.server
    .db('agent_presence')
    .insert({ agent_id: (await admin.get('/api/auth/me')).body.agent.id, company_id: k.company.id, status: 'away' })
    .onConflict('agent_id')
    .merge();
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: true }) });
});
test.after.always(() => k?.close());

test.serial('ICON-TYPES-3 ICON-CODE-2 ICON-MANAGE-9 create, list, edit and delete an icon; its embed code carries the key', async (t) => {
  const created = await admin.post('/api/icons', floatIcon({ name: 'Home page', float: { position: 'bottom-left', offsetX: 40 } }));
  t.is(created.status, 201, created.text);
  const icon = created.body;
  t.like(icon, { name: 'Home page', type: 'float', language: 'auto', binding: { kind: 'none' }, float: { position: 'bottom-left', offsetX: 40, offsetY: 20 } });
  t.regex(icon.key, /^[A-Za-z0-9_-]{22}$/);
  t.true(icon.code.function.includes(`data-company="${k.company.publicId}"`) && icon.code.function.includes(`data-icon="${icon.key}"`));
  t.true(icon.code.function.startsWith(`<script async src="${k.url}/widget/loader.js"`), icon.code.function);
  t.true(icon.code.icon.startsWith(`<a href="${icon.code.link}"`) && icon.code.icon.includes(`/api/widget/icons/${icon.key}/image?c=`));
  t.true((await admin.get('/api/icons')).body.some((i: any) => i.key === icon.key));

  // The widget gets the icon's look by key; edits apply without re-embedding.
  let setup = await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`);
  t.like(setup.body, { icon: { key: icon.key, type: 'float' }, style: { position: 'bottom-left', marginX: 40, marginY: 20 } });
  const edited = await admin.put(`/api/icons/${icon.id}`, { name: 'Home page', type: 'text', text: { online: { en: 'Talk to us' } } });
  t.is(edited.status, 200, edited.text);
  t.is(edited.body.key, icon.key);
  setup = await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`);
  t.like(setup.body.icon, { type: 'text', text: { online: { en: 'Talk to us' } } });
  const image = await admin.get(`/api/widget/icons/${icon.key}/image?c=${k.company.publicId}`);
  t.is(image.status, 200);
  t.regex(image.headers.get('content-type') ?? '', /image\/svg\+xml/);

  t.is((await admin.del(`/api/icons/${icon.id}`)).status, 204);
  t.false((await admin.get('/api/icons')).body.some((i: any) => i.key === icon.key));
  t.is((await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`)).status, 404);
  t.is((await admin.get(`/api/widget/icons/${icon.key}/image?c=${k.company.publicId}`)).status, 404);
  // A new icon never gets the deleted key back.
  t.not((await admin.post('/api/icons', floatIcon())).body.key, icon.key);
});

test.serial('ICON-TYPES-3 ICON-BIND-5 ICON-GROUP-6 bad input answers 400 naming the field, conflicts 409 with their code', async (t) => {
  let r = await admin.post('/api/icons', { name: ' ', type: 'float', float: { offsetX: 600 } });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'validation_failed');
  t.deepEqual(
    fields(r)
      .map((f: string) => f.split(':')[0])
      .sort(),
    ['float.offsetX', 'name'],
  );
  r = await admin.post('/api/icons', { name: 'Odd', type: 'banner' });
  t.is(r.status, 400);
  t.deepEqual(
    fields(r).map((f: string) => f.split(':')[0]),
    ['type'],
  );
  r = await admin.post('/api/icons', floatIcon({ binding: { kind: 'agent', agentId: 999999 } }));
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['binding.agentId:agent_not_found']);
  r = await admin.post('/api/icons', floatIcon({ binding: { kind: 'group', groupId: 999999 } }));
  t.deepEqual(fields(r), ['binding.groupId:group_not_found']);
  r = await admin.post('/api/icons', { name: 'Groups', type: 'group', entries: [] });
  t.deepEqual(fields(r), ['entries:entries_required']);

  const other = await k.createCompany('No groups yet');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  r = await otherAdmin.post('/api/icons', { name: 'Groups', type: 'group', entries: [{ kind: 'agent', id: 1 }] });
  t.is(r.status, 409);
  t.is(r.body.error.code, 'no_groups');

  await admin.post('/api/icons', floatIcon({ name: 'Twin' }));
  r = await admin.post('/api/icons', floatIcon({ name: 'twin' }));
  t.is(r.status, 409);
  t.is(r.body.error.code, 'icon_name_taken');
});

test.serial('ICON-MANAGE-9 at most 50 icons per company (icon_limit)', async (t) => {
  const have = (await admin.get('/api/icons')).body.length;
  for (let i = have; i < 50; i++) t.is((await admin.post('/api/icons', floatIcon())).status, 201);
  const r = await admin.post('/api/icons', floatIcon());
  t.is(r.status, 409);
  t.is(r.body.error.code, 'icon_limit');
  await k.server.db('icons').where({ company_id: k.company.id }).update({ deleted_at: new Date() });
});

test.serial('ICON-LIST-1 STYLE-MENU-1 another company sees none of the icons; 获取代码 alone reads but cannot change', async (t) => {
  const icon = (await admin.post('/api/icons', floatIcon())).body;
  const other = await k.createCompany('Elsewhere');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  t.false((await otherAdmin.get('/api/icons')).body.some((i: any) => i.id === icon.id));
  t.is((await otherAdmin.put(`/api/icons/${icon.id}`, floatIcon())).status, 404);
  t.is((await otherAdmin.del(`/api/icons/${icon.id}`)).status, 404);
  t.is((await admin.get(`/api/widget/setup?c=${other.publicId}&i=${icon.key}`)).status, 404, 'a key works only with its own company');

  const coder = await addAgent(admin, `coder${++n}`, { permissions: ['widget.code'] });
  const c = await signIn(k, coder.agentId);
  const list = await c.get('/api/icons');
  t.is(list.status, 200);
  t.true(list.body.some((i: any) => i.code.function.includes(icon.key)));
  const refused = await c.post('/api/icons', floatIcon());
  t.is(refused.status, 403);
  t.is(refused.body.error.code, 'forbidden');
  t.is((await c.del(`/api/icons/${icon.id}`)).status, 403);
});

test.serial('ICON-BIND-5 ASSIGN-SCOPE-3 a chat from a group-bound icon goes to that group; from an agent-bound icon to that agent', async (t) => {
  const group = (await admin.post('/api/groups', { name: `Refunds ${++n}` })).body;
  const inGroup = await addAgent(admin, `ann${n}`, { groupIds: [group.id] });
  const outside = await addAgent(admin, `bob${n}`);
  const sockets = [await agentSocket(k.url, await signIn(k, inGroup.agentId)), await agentSocket(k.url, await signIn(k, outside.agentId))];
  const byGroup = (await admin.post('/api/icons', floatIcon({ binding: { kind: 'group', groupId: group.id } }))).body;
  // By load and today's count `outside` would get the next chats: the bindings must win.
  const byAgent = (await admin.post('/api/icons', floatIcon({ binding: { kind: 'agent', agentId: inGroup.id } }))).body;

  const served = async (iconKey: string) => {
    const v = await visitorSocket(k.url, k.company.publicId);
    const r = await call(v.socket, 'chat.request', { iconKey });
    t.true(r.ok, JSON.stringify(r));
    const row = await k.server.db('conversations').where({ id: r.conversation.id }).first();
    await call(v.socket, 'chat.end', { conversationId: r.conversation.id });
    v.socket.close();
    return row;
  };
  for (let i = 0; i < 3; i++) {
    const row = await served(byGroup.key);
    t.is(Number(row.agent_id), inGroup.id, 'only the group member serves it');
    t.is(Number(row.group_id), group.id, 'the scope is stored on the conversation');
  }
  for (let i = 0; i < 3; i++) t.is(Number((await served(byAgent.key)).agent_id), inGroup.id, 'only the bound agent serves it');

  // The icon's state follows its scope: the group is online while its member is.
  const setup = await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${byGroup.key}`);
  t.true(setup.body.online);
  sockets[0].close();
  await k.server.db('agent_presence').where({ agent_id: inGroup.id }).update({ status: 'away' });
  t.false((await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${byGroup.key}`)).body.online);

  // The bound agent is disabled: the binding becomes none, dated, and chats go to anyone again.
  t.is((await admin.post(`/api/agents/${inGroup.id}/disable`)).status, 200);
  const unbound = await until(
    async () => (await admin.get('/api/icons')).body.find((i: any) => i.id === byAgent.id),
    (i) => i.binding.kind === 'none',
  );
  t.deepEqual(unbound.binding, { kind: 'none' });
  t.truthy(unbound.bindingRemovedAt);
  t.is(Number((await served(byAgent.key)).agent_id), outside.id);
  sockets[1].close();
});

test.serial(
  'ICON-GROUP-6 ASSIGN-SCOPE-3 LEAVEMSG-ASSIGN-7 a group icon’s agent entry: nickname by default, its own state, chats for that agent only, leave-messages handled by them',
  async (t) => {
    const group = (await admin.post('/api/groups', { name: `Desk ${++n}` })).body;
    const ann = await addAgent(admin, `entann${n}`, { name: 'Ann Realname' });
    const bob = await addAgent(admin, `entbob${n}`);
    await k.server.db('agents').where({ id: ann.id }).update({ nickname: 'Ann at the desk' });
    const made = await admin.post('/api/icons', {
      name: `Teams ${n}`,
      type: 'group',
      float: { position: 'middle-left', offsetX: 5, offsetY: 7 },
      entries: [
        { kind: 'agent', id: ann.id, name: { ja: 'アン' } },
        { kind: 'group', id: group.id },
      ],
    });
    t.is(made.status, 201, made.text);
    const icon = made.body;
    const entries = async () => (await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`)).body.icon.entries;
    const { style } = (await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`)).body;
    t.like(style, { position: 'middle-left', marginX: 5, marginY: 7 }, 'a group icon floats in its own corner');
    const before = await entries();
    t.deepEqual(
      before.map((e: any) => [e.kind, e.id, e.name.en, e.name['zh-CN'], e.name.ja, e.online]),
      [
        ['agent', ann.id, 'Ann at the desk', 'Ann at the desk', 'アン', false],
        ['group', group.id, group.name, group.name, group.name, false],
      ],
      'in order, named by nickname or group name where no name is set, each offline',
    );
    t.false(JSON.stringify(before).includes('Realname'), 'the agent’s real name never reaches visitors');

    // Bob is online too and, unscoped, could take the chats: the entry must win.
    const sockets = [await agentSocket(k.url, await signIn(k, ann.agentId)), await agentSocket(k.url, await signIn(k, bob.agentId))];
    t.true((await until(entries, (e) => e[0].online))[0].online, 'the entry follows its agent’s state');
    t.false((await entries())[1].online, 'the group has nobody online');
    for (let i = 0; i < 3; i++) {
      const v = await visitorSocket(k.url, k.company.publicId);
      const r = await call(v.socket, 'chat.request', { iconKey: icon.key, agentId: ann.id });
      t.true(r.ok, JSON.stringify(r));
      const row = await until(
        () => k.server.db('conversations').where({ id: r.conversation.id }).first(),
        (c) => c.agent_id != null,
      );
      t.is(Number(row.agent_id), ann.id, 'only the entry’s agent serves it');
      t.is(Number(row.scope_agent_id), ann.id, 'the scope is stored on the conversation');
      await call(v.socket, 'chat.end', { conversationId: r.conversation.id });
      v.socket.close();
    }
    const v = await visitorSocket(k.url, k.company.publicId);
    const foreign = await call(v.socket, 'chat.request', { iconKey: icon.key, agentId: bob.id });
    t.is(foreign.error?.code, 'validation_failed', 'an agent the icon does not list is refused');
    t.deepEqual(fields({ body: foreign }), ['agentId:agent_not_found']);

    // Ann leaves: her entry is offline and the leave-message left for her is hers to handle.
    sockets[0].close();
    await k.server.db('agent_presence').where({ agent_id: ann.id }).update({ status: 'away' });
    t.false((await entries())[0].online);
    const leave = (extra: Record<string, unknown>) =>
      call(v.socket, 'leavemsg.submit', { fields: { name: 'Sun Li', mobile: '13900139000', content: `For the desk ${JSON.stringify(extra)}` }, ...extra });
    const forAnn = await leave({ iconKey: icon.key, agentId: ann.id });
    t.true(forAnn.ok, JSON.stringify(forAnn));
    t.is(Number((await k.server.db('leave_messages').where({ id: forAnn.leaveMessage.id }).first()).handler_id), ann.id);
    const forBob = await leave({ iconKey: icon.key, agentId: bob.id });
    t.is((await k.server.db('leave_messages').where({ id: forBob.leaveMessage.id }).first()).handler_id, null, 'an agent the icon does not list is no tag');
    v.socket.close();

    // Ann is disabled: visitors no longer see her entry.
    t.is((await admin.post(`/api/agents/${ann.id}/disable`)).status, 200);
    t.deepEqual(
      (await entries()).map((e: any) => e.kind),
      ['group'],
    );
    sockets[1].close();
  },
);

test.serial('TAG-LIST-1 TAG-ROUTE-2 custom tags: limits and codes, stale versions, and what the widget gets', async (t) => {
  const read = await admin.get('/api/settings/tags');
  t.like(read.body, { version: 0, settings: { enabled: false, tags: [] } });
  const tag = (i: number, extra: Record<string, unknown> = {}) => ({ id: `t${i}`, label: { en: `Tag ${i}` }, ...extra });
  let r = await admin.put('/api/settings/tags', { version: 0, settings: { enabled: true, tags: [tag(1, { enabled: false })] } });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['settings.tags:tags_required']);
  r = await admin.put('/api/settings/tags', { version: 0, settings: { enabled: true, tags: Array.from({ length: 11 }, (_, i) => tag(i)) } });
  t.deepEqual(fields(r), ['settings.tags:tag_limit']);
  r = await admin.put('/api/settings/tags', { version: 0, settings: { enabled: true, tags: [tag(1, { label: { en: 'Much too long label' } })] } });
  t.deepEqual(
    fields(r).map((f: string) => f.split(':')[0]),
    ['settings.tags.0.label.en'],
  );

  const saved = await admin.put('/api/settings/tags', {
    version: 0,
    settings: { enabled: true, tags: [tag(1, { text: { en: 'Where is my order?' } }), tag(2, { target: 'robot' }), tag(3, { enabled: false })] },
  });
  t.is(saved.status, 200, saved.text);
  t.is(saved.body.version, 1);
  const stale = await admin.put('/api/settings/tags', { version: 0, settings: { enabled: false, tags: [] } });
  t.is(stale.status, 409);
  t.is(stale.body.error.code, 'settings_changed');

  // TAG-ROUTE-2: robot-target tags reach the widget only while the robot plugin is enabled.
  const agentTag = { id: 't1', label: { en: 'Tag 1' }, text: { en: 'Where is my order?' }, target: 'agent' };
  t.deepEqual((await admin.get(`/api/widget/setup?c=${k.company.publicId}`)).body.tags, [agentTag]);
  const enabled = await admin.post('/api/plugins/robot/enable', {});
  t.is(enabled.status, 200, enabled.text);
  const setup = await admin.get(`/api/widget/setup?c=${k.company.publicId}`);
  t.deepEqual(setup.body.tags, [
    { id: 't1', label: { en: 'Tag 1' }, text: { en: 'Where is my order?' }, target: 'agent' },
    { id: 't2', label: { en: 'Tag 2' }, text: { en: 'Tag 2' }, target: 'robot' },
  ]);
  const other = await k.createCompany('Tagless');
  t.deepEqual((await admin.get(`/api/widget/setup?c=${other.publicId}`)).body.tags, []);
});

test.serial(
  'ICON-IMAGE-4 eight built-in looks, or uploaded online/offline/busy images (≤ 200 KB, ≤ 600×600) shown by the icon’s state, with alt text',
  async (t) => {
    // Eight different built-in looks, each online and offline.
    const looks = new Set<string>();
    for (let style = 1; style <= 8; style++)
      for (const online of ['true', 'false']) {
        const r = await fetch(`${k.url}/api/icons/styles/${style}?online=${online}&language=en`, { headers: { cookie: admin.cookie } });
        t.is(r.status, 200);
        const body = await r.text();
        t.true(body.includes(online === 'true' ? 'Chat online' : 'Leave a message'), body);
        looks.add(body);
      }
    t.is(looks.size, 16);
    t.is((await admin.get('/api/icons/styles/9')).status, 400);

    const ICON_IMAGES = '/api/icons/images';
    const wide = await upload(k.url, ICON_IMAGES, { file: { bytes: await pngBytes(601, 100), name: 'wide.png' } }, admin);
    t.deepEqual(fields(wide), ['file:image_dimensions_too_large']);
    const svg = await upload(k.url, ICON_IMAGES, { file: { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'x.png' } }, admin);
    t.deepEqual(fields(svg), ['file:unsupported_image']);
    const noise = await noisePng(300);
    t.deepEqual(fields(await upload(k.url, ICON_IMAGES, { file: { bytes: noise, name: 'big.png' } }, admin)), ['file:image_too_large']);

    const images: Record<string, { key: string; url: string; bytes: Buffer }> = {};
    for (const [name, w] of [
      ['online', 120],
      ['offline', 121],
      ['busy', 122],
      ['unsaved', 123],
    ] as const) {
      const bytes = await pngBytes(w, 40);
      const r = await upload(k.url, ICON_IMAGES, { file: { bytes, name: `${name}.png` } }, admin);
      t.is(r.status, 201, r.text);
      images[name] = { ...r.body, bytes };
    }

    const ann = await addAgent(admin, `img${++n}`);
    const bound = { binding: { kind: 'agent', agentId: ann.id }, language: 'en', alt: { en: 'Talk to us' } };
    const half = await admin.post('/api/icons', floatIcon({ ...bound, image: { source: 'custom', online: images.online.key } }));
    t.deepEqual(fields(half), ['image.offline:required'], 'online and offline images come together');
    const other = await k.createCompany('Other icons');
    const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
    const stolen = await otherAdmin.post('/api/icons', floatIcon({ image: { source: 'custom', online: images.online.key, offline: images.offline.key } }));
    t.deepEqual(fields(stolen), ['image.online:unknown_image'], "another company's upload cannot be named");

    const created = await admin.post(
      '/api/icons',
      floatIcon({ ...bound, image: { source: 'custom', online: images.online.key, offline: images.offline.key } }),
    );
    t.is(created.status, 201, created.text);
    const icon = created.body;
    t.deepEqual(icon.image, { source: 'custom', online: images.online.key, offline: images.offline.key, busy: null });
    t.true(icon.code.icon.includes('alt="Talk to us"'));

    const shown = async () => Buffer.from(await (await fetch(`${k.url}/api/widget/icons/${icon.key}/image?c=${k.company.publicId}`)).arrayBuffer());
    t.deepEqual(await shown(), images.offline.bytes, 'nobody serves: the offline image');
    const console = await agentSocket(k.url, await signIn(k, ann.agentId));
    try {
      t.true((await call(console, 'presence.set', { status: 'online' })).ok);
      t.deepEqual(await shown(), images.online.bytes);
      t.true((await call(console, 'presence.set', { status: 'busy' })).ok);
      t.deepEqual(await shown(), images.online.bytes, 'without a busy image, busy shows the online one');

      const updated = await admin.put(`/api/icons/${icon.id}`, {
        ...floatIcon({ ...bound, name: icon.name }),
        image: { source: 'custom', online: images.online.key, offline: images.offline.key, busy: images.busy.key },
      });
      t.is(updated.status, 200, updated.text);
      t.deepEqual(await shown(), images.busy.bytes);
      const setup = (await admin.get(`/api/widget/setup?c=${k.company.publicId}&i=${icon.key}`)).body;
      t.like(setup, { online: true, busy: true });
      t.deepEqual(setup.icon.image, [k.url + images.busy.url, k.url + images.offline.url], 'busy now: the busy image, and the offline one');
      t.deepEqual(setup.icon.alt, { en: 'Talk to us' });
    } finally {
      console.close();
    }

    // Uploads an icon names survive the sweep of unsaved uploads; the unsaved one goes.
    await k.server
      .db('style_images')
      .where({ company_id: k.company.id })
      .update({ created_at: new Date(Date.now() - 25 * 3_600_000) });
    await k.server.container.resolve(StyleImageService).sweep();
    t.is((await fetch(k.url + images.unsaved.url)).status, 404);
    t.is((await fetch(k.url + images.busy.url)).status, 200);

    // Back to a built-in look: the uploads stop being served.
    const builtin = await admin.put(`/api/icons/${icon.id}`, { ...floatIcon({ ...bound, name: icon.name }), style: 7 });
    t.is(builtin.status, 200, builtin.text);
    for (const name of ['online', 'offline', 'busy']) t.is((await fetch(k.url + images[name].url)).status, 404, name);
    const drawn = await fetch(`${k.url}/api/widget/icons/${icon.key}/image?c=${k.company.publicId}`);
    t.regex(drawn.headers.get('content-type') ?? '', /image\/svg\+xml/);
  },
);
