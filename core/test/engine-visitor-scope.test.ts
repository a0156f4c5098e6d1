import test from 'ava';
import type { Socket } from 'socket.io-client';
import { signIn } from './helpers/accounts.ts';
import { call, next, visitorSocket } from './helpers/sockets.ts';
import { closeAll, type CollabKefu, driver, none, online, startCollab } from './helpers/collab.ts';

/**
 * VISITOR-SCOPE-4 访客列表范围: with 本组访客 an agent sees only visitors on pages
 * whose icon is unbound or bound to them or one of their groups; admins and
 * monitors see all. Group Sales = bob + cat; ann is in no group.
 */
let c: CollabKefu;
const icons: Record<string, string> = {};

test.before(async () => {
  c = await startCollab();
  const make = async (name: string, binding: unknown) => {
    const r = await c.admin.post('/api/icons', { name, type: 'float', binding });
    if (r.status !== 201) throw new Error(r.text);
    return r.body.key as string;
  };
  icons.sales = await make('Sales pages', { kind: 'group', groupId: c.salesGroup });
  icons.ann = await make('Ann’s page', { kind: 'agent', agentId: c.id.ann });
  icons.open = await make('Everyone', { kind: 'none' });
});
test.after.always(() => c?.k.close());

/** A visitor opens a page carrying `iconKey` (the loader's beacon); returns their token and visitor number. */
async function browse(iconKey: string | undefined, title: string) {
  const r = await c.k.client().post('/api/widget/pageview', { companyId: c.k.company.publicId, url: `https://shop.example/${title}`, title, iconKey });
  if (r.status !== 200) throw new Error(r.text);
  const row = await c.k.server.db('visitors').where({ company_id: c.k.company.id }).orderBy('id', 'desc').first('number');
  return { token: r.body.token as string, number: Number(row.number) };
}

const titlesSeenBy = async (s: Socket) => new Set(((await call(s, 'workbench.snapshot', {})).visitors as any[]).map((v) => v.currentTitle));

async function setScope(visitorScope: 'all' | 'group') {
  const current = await c.admin.get('/api/settings/visitor-list');
  const r = await c.admin.put('/api/settings/visitor-list', { version: current.body.version, settings: { visitorScope } });
  if (r.status !== 200) throw new Error(r.text);
}

test.serial(`VISITOR-SCOPE-4 本组访客: lists, live rows and accepting follow the icon's binding; 全部访客 shows everyone (${driver})`, async (t) => {
  t.is((await c.admin.get('/api/settings/visitor-list')).body.settings.visitorScope, 'all', 'all visitors by default');
  const [ann, bob, mon] = [await online(c.k, 'ann'), await online(c.k, 'bob'), await online(c.k, 'mon')];
  await browse(icons.sales, 'sales');
  await browse(icons.ann, 'ann');
  await browse(icons.open, 'open');
  await browse(undefined, 'plain');
  const everything = ['sales', 'ann', 'open', 'plain'];
  t.deepEqual([...(await titlesSeenBy(ann))].filter((x) => everything.includes(x)).sort(), [...everything].sort(), 'default: everyone sees all');

  await setScope('group');
  const bobSees = await titlesSeenBy(bob);
  t.true(bobSees.has('sales') && bobSees.has('open') && bobSees.has('plain'));
  t.false(bobSees.has('ann'), 'an icon bound to ann is hers');
  const annSees = await titlesSeenBy(ann);
  t.true(annSees.has('ann') && annSees.has('open') && annSees.has('plain'));
  t.false(annSees.has('sales'), 'ann is not in Sales');
  const monSees = await titlesSeenBy(mon);
  t.true(
    everything.every((x) => monSees.has(x)),
    'a conversation.monitor holder sees all',
  );
  const adm = await online(c.k, 'admin');
  const admSees = await titlesSeenBy(adm);
  t.true(
    everything.every((x) => admSees.has(x)),
    'an admin sees all',
  );

  // Live rows go only to the consoles that may see them.
  const bobLive = next(bob, 'visitor.updated', (m) => m.visitor.currentTitle === 'sales-2');
  const monLive = next(mon, 'visitor.updated', (m) => m.visitor.currentTitle === 'sales-2');
  const annQuiet = none(ann, 'visitor.updated', (m) => m.visitor.currentTitle === 'sales-2', 800);
  const salesVisitor = await browse(icons.sales, 'sales-2');
  await Promise.all([bobLive, monLive]);
  t.true(await annQuiet, 'ann never receives the Sales visitor');
  const annLive = next(ann, 'visitor.updated', (m) => m.visitor.currentTitle === 'open-2');
  const bobLiveOpen = next(bob, 'visitor.updated', (m) => m.visitor.currentTitle === 'open-2');
  await browse(icons.open, 'open-2');
  await Promise.all([annLive, bobLiveOpen]);

  // Accepting: a visitor outside ann's scope does not exist for her (CONV-ACCEPT-5 → 404).
  const v = await visitorSocket(c.k.url, c.k.company.publicId, salesVisitor.token);
  const req = await call(v.socket, 'chat.request', { iconKey: icons.sales });
  t.is(req.conversation.status, 'queued');
  const before = await c.k.server.db('conversations').where({ id: req.conversation.id }).first('status', 'agent_id');
  t.is((await call(ann, 'conversation.accept', { conversationId: req.conversation.id })).error.code, 'not_found');
  t.deepEqual(await c.k.server.db('conversations').where({ id: req.conversation.id }).first('status', 'agent_id'), before, 'nothing changed');
  const acc = await call(bob, 'conversation.accept', { conversationId: req.conversation.id });
  t.is(acc.conversation.agentId, c.id.bob);

  await setScope('all');
  t.true((await titlesSeenBy(ann)).has('sales'), 'back to all visitors');
  await closeAll(ann, bob, mon, adm, v.socket);
});

test.serial(`VISITOR-SCOPE-4 the setting is versioned, needs settings.manage and refuses bad values with the field (${driver})`, async (t) => {
  const bob = await signIn(c.k, 'bob');
  t.is((await bob.get('/api/settings/visitor-list')).status, 403);
  const cur = (await c.admin.get('/api/settings/visitor-list')).body;
  let r = await c.admin.put('/api/settings/visitor-list', { version: cur.version, settings: { visitorScope: 'mine' } });
  t.is(r.status, 400);
  t.true(JSON.stringify(r.body.error.fields).includes('visitorScope'), r.text);
  r = await c.admin.put('/api/settings/visitor-list', { version: cur.version + 5, settings: { visitorScope: 'group' } });
  t.is(r.status, 409);
  t.is(r.body.error.code, 'settings_changed');
  r = await c.admin.put('/api/settings/visitor-list', { version: cur.version, settings: { visitorScope: 'all' } });
  t.is(r.status, 200);
  t.is(r.body.version, cur.version + 1);
  const assignment = (await c.admin.get('/api/settings/assignment')).body;
  t.false('visitorScope' in assignment.settings, 'the 自动分配 screen keeps its own keys');
  t.false(assignment.settings.autoAssign, 'and saving the scope kept them');
});
