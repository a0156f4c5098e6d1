import test from 'ava';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { conditionsHold, type VisitorFacts } from '../src/policies/visitor-conditions.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';

/** Invitation window settings (SPEC §7.1.4) and automatic invitations decided on the server, with real sockets; the server clock can run ahead. */
const clock = { ahead: 0, now: () => new Date(Date.now() + clock.ahead) };
let k: TestKefu;
let admin: TestClient;
let ann: Socket;
const sockets: Socket[] = [];

test.before(async () => {
  k = await startTestServer({}, { clock });
  admin = await k.login();
  await addAgent(admin, 'ann', { permissions: ['conversation.accept', 'visitor.invite'], name: 'Ann' });
  ann = await agentSocket(k.url, await signIn(k, 'ann'));
  // The admin stays away, so Ann alone decides whether someone is 在线.
  sockets.push(ann, await agentSocket(k.url, admin));
  await call(sockets[1], 'presence.set', { status: 'away' });
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await k?.close();
});

const put = async (invite: Record<string, unknown>) => {
  const current = (await admin.get('/api/settings/widget')).body;
  return admin.put('/api/settings/widget', { version: current.version, settings: { ...current.settings, invite } });
};
const save = async (invite: Record<string, unknown>) => {
  const r = await put(invite);
  if (r.status !== 200) throw new Error(r.text);
};

/** A visitor who opens `urls` in turn; `invitation` resolves with the first invitation pushed, or null after `ms`. */
async function arrive(urls: string[], opts: { language?: string; referrer?: string; ms?: number } = {}) {
  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const invitation = next(v.socket, 'invitation', () => true, opts.ms ?? 4000)
    .then((m) => m.invitation)
    .catch(() => null);
  for (const url of urls) await call(v.socket, 'page.view', { url, language: opts.language ?? 'en', referrer: opts.referrer });
  return {
    socket: v.socket,
    invitation,
    id: Number((await k.server.db('visitors').where({ number: v.visitorNumber, company_id: k.company.id }).first('id')).id),
  };
}

test.serial('INVITE-SWITCH-1 INVITE-POPUP-2 INVITE-TEXT-5 INVITE-STYLE-6 defaults, saving, and field errors beside each field', async (t) => {
  const first = (await admin.get('/api/settings/widget')).body.settings.invite;
  t.like(first, { enabled: true, mode: 'center', maxPerVisit: 3, intervalSeconds: 60, displaySeconds: 20, auto: false, strategies: [] });
  t.like(first.texts.en, { title: 'Chat with us', accept: 'Accept', decline: 'Later' });
  t.like(first.style, { template: 'simple', width: 360, height: 200, titleColor: null, showClose: true });

  await save({ auto: true, mode: 'top-banner', style: { template: 'custom', titleColor: '#112233', width: 420 }, texts: { ja: { title: 'ようこそ' } } });
  const saved = (await admin.get('/api/settings/widget')).body.settings.invite;
  t.like(saved, { auto: true, mode: 'top-banner' });
  t.deepEqual(
    saved.strategies.map((r: any) => r.conditions),
    [{ minSeconds: 15 }],
    'turning automatic invitation on with no rule creates "time on site ≥ 15 s"',
  );
  t.like(saved.style, { template: 'custom', titleColor: '#112233', width: 420, height: 200 });
  t.is(saved.texts.ja.title, 'ようこそ');
  t.is(saved.texts.ja.accept, '承諾', 'other words keep their defaults');

  const config = (await admin.get(`/api/widget/config?c=${k.company.publicId}`)).body;
  t.like(config.invite, { enabled: true, mode: 'top-banner', displaySeconds: 20 });
  t.false('strategies' in config.invite || 'auto' in config.invite, 'the rules stay on the server');

  const r = await put({
    mode: 'left',
    maxPerVisit: 11,
    intervalSeconds: 5,
    displaySeconds: 301,
    strategies: [
      { conditions: { page: { op: 'regex', value: '(a+)+$' }, minSeconds: 3601 } },
      { conditions: { page: { op: 'regex', value: '([a-z' }, sources: ['tv'], minPageViews: 0 }, texts: { fr: { text: 'Salut' } } },
    ],
    texts: { en: { title: 'x'.repeat(31), accept: '' } },
    style: { template: 'neon', width: 100, buttonColor: 'blue' },
  });
  t.is(r.status, 400, r.text);
  t.is(r.body.error.code, 'validation_failed');
  const fields = Object.fromEntries(r.body.error.fields.map((f: any) => [f.path.replace('settings.invite.', ''), f.code]));
  t.like(fields, {
    mode: 'invalid_value',
    maxPerVisit: 'too_big',
    intervalSeconds: 'too_small',
    displaySeconds: 'too_big',
    'strategies.0.conditions.page.value': 'unsafe_pattern',
    'strategies.0.conditions.minSeconds': 'too_big',
    'strategies.1.conditions.page.value': 'invalid_pattern',
    'strategies.1.conditions.sources.0': 'invalid_value',
    'strategies.1.conditions.minPageViews': 'too_small',
    'strategies.1.texts.fr': 'unknown_language',
    'texts.en.title': 'too_big',
    'texts.en.accept': 'too_small',
    'style.template': 'invalid_value',
    'style.width': 'too_small',
    'style.buttonColor': 'invalid_color',
  });
  const many = await put({ auto: true, strategies: Array.from({ length: 21 }, () => ({ conditions: {} })) });
  t.is(many.status, 400);
  t.deepEqual(
    many.body.error.fields.map((f: any) => [f.path, f.code]),
    [['settings.invite.strategies', 'too_big']],
    'at most 20 rules',
  );
});

test('INVITE-STRATEGY-4 conditions: time on site, page views, visit number, source and a URL pattern', (t) => {
  const facts: VisitorFacts = {
    url: 'https://shop.example/pricing?plan=pro',
    referrer: null,
    source: 'search',
    secondsOnSite: 40,
    pageViews: 3,
    visitNumber: 2,
    keyword: 'cheap shoes',
    region: { country: null, province: null, city: null },
    language: 'en-US',
    channel: 'web',
    returning: true,
    iconId: null,
    at: new Date('2026-12-07T04:00:00Z'),
    timeZone: 'Asia/Shanghai',
  };
  t.true(conditionsHold({}, facts), 'no condition: every visitor');
  t.true(conditionsHold({ minSeconds: 40, minPageViews: 3, minVisits: 2, sources: ['search', 'campaign'], keyword: 'SHOES' }, facts));
  t.false(conditionsHold({ minSeconds: 41 }, facts));
  t.false(conditionsHold({ minPageViews: 4 }, facts));
  t.false(conditionsHold({ minVisits: 3 }, facts));
  t.false(conditionsHold({ sources: ['direct', 'referral'] }, facts));
  t.true(conditionsHold({ page: { op: 'regex', value: '/PRICING\\?plan=(pro|team)$' } }, facts), 'patterns ignore case');
  t.false(conditionsHold({ page: { op: 'regex', value: '^https://shop\\.example/$' } }, facts));
});

test.serial(
  'INVITE-AUTO-3 INVITE-STRATEGY-4 INVITE-ACCEPT-8 the first matching rule fires while an agent is 在线; its text in the visitor language; accepting opens a chat with initiator 邀请',
  async (t) => {
    await call(ann, 'presence.set', { status: 'online' });
    await save({
      auto: true,
      maxPerVisit: 2,
      intervalSeconds: 10,
      displaySeconds: 0,
      strategies: [
        { name: 'pricing', conditions: { page: { op: 'regex', value: '/pricing$' }, minPageViews: 2 }, texts: { en: { text: 'Questions about prices?' } } },
        { name: 'search', conditions: { sources: ['search'] } },
      ],
      texts: { 'zh-CN': { title: '欢迎光临' } },
    });
    const pricing = await arrive(['https://shop.example/', 'https://shop.example/pricing']);
    const onePage = await arrive(['https://shop.example/pricing']);
    const searched = await arrive(['https://shop.example/shoes'], { language: 'zh-CN', referrer: 'https://www.baidu.com/s?wd=shoes' });

    t.like(await pricing.invitation, {
      agentNickname: null,
      auto: true,
      title: 'Chat with us',
      text: 'Questions about prices?',
      accept: 'Accept',
      displaySeconds: 0,
    });
    t.like(await searched.invitation, { auto: true, title: '欢迎光临', text: '您好!有什么可以帮您的吗?点击「接受」即可与客服对话。' });
    t.is(await onePage.invitation, null, 'one page view: no rule holds');
    const rows = await k.server.db('invitations').whereIn('visitor_id', [pricing.id, searched.id]).orderBy('visitor_id');
    t.deepEqual(
      rows.map((r: any) => [Number(r.visitor_id), r.strategy, r.agent_id, r.status]),
      [
        [pricing.id, 1, null, 'pending'],
        [searched.id, 2, null, 'pending'],
      ],
      'stored with the rule that fired',
    );

    const inv = await pricing.invitation;
    const accepted = await call(pricing.socket, 'invitation.respond', { invitationId: inv.id, accept: true });
    t.is(accepted.conversation.initiator, 'invitation');
    t.is((await k.server.db('invitations').where({ id: inv.id }).first()).status, 'accepted');
  },
);

test.serial('INVITE-POPUP-2 at most maxPerVisit automatic invitations, intervalSeconds after the end of the last; none while nobody is 在线', async (t) => {
  await call(ann, 'presence.set', { status: 'online' });
  await save({ auto: true, maxPerVisit: 2, intervalSeconds: 10, displaySeconds: 0, strategies: [{ conditions: { minSeconds: 1 } }] });
  const started = Date.now();
  const v = await arrive(['https://shop.example/']);
  const first = await v.invitation;
  t.truthy(first, 'the first invitation after the time on site');
  t.true(Date.now() - started >= 1000, 'not before the time on site');
  t.true((await call(v.socket, 'invitation.respond', { invitationId: first.id, accept: false })).ok);
  const early = await next(v.socket, 'invitation', () => true, 2500).catch(() => null);
  t.is(early, null, 'not within the interval');

  const second = next(v.socket, 'invitation', () => true, 4000);
  clock.ahead += 11_000;
  const again = (await second).invitation;
  t.not(again.id, first.id);
  t.true((await call(v.socket, 'invitation.respond', { invitationId: again.id, accept: false })).ok);
  clock.ahead += 11_000;
  t.is(await next(v.socket, 'invitation', () => true, 2500).catch(() => null), null, 'at most maxPerVisit per visit');
  clock.ahead = 0;

  await call(ann, 'presence.set', { status: 'busy' });
  const nobody = await arrive(['https://shop.example/'], { ms: 3000 });
  t.is(await nobody.invitation, null, 'nobody 在线: no invitation');
});

test.serial('INVITE-SWITCH-1 switched off: no automatic invitation, and an agent invitation is refused with 409 invite_disabled', async (t) => {
  await call(ann, 'presence.set', { status: 'online' });
  await save({ enabled: false, auto: true, strategies: [{ conditions: {} }] });
  const v = await arrive(['https://shop.example/'], { ms: 2500 });
  t.is(await v.invitation, null);
  const r = await call(ann, 'visitor.invite', { visitorId: v.id });
  t.is(r.error?.code, 'invite_disabled');
  t.is(await k.server.db('invitations').where({ visitor_id: v.id }).first(), undefined);

  await save({ enabled: true, auto: false });
  const shown = next(v.socket, 'invitation');
  t.falsy((await call(ann, 'visitor.invite', { visitorId: v.id })).error, 'switched on again, agents invite');
  t.like((await shown).invitation, { agentNickname: 'Ann', auto: false, title: 'Chat with us' });
});

test.serial("INVITE-STYLE-6 a manual invitation carries its agent's name and avatar only while the company shows avatars", async (t) => {
  await call(ann, 'presence.set', { status: 'online' });
  await save({ mode: 'bottom-left' });
  const avatars = async (enabled: boolean) => {
    const { version } = (await admin.get('/api/settings/avatars')).body;
    const r = await admin.put('/api/settings/avatars', { version, settings: { enabled } });
    if (r.status !== 200) throw new Error(r.text);
  };
  t.teardown(() => avatars(false));
  const invited = async () => {
    const v = await arrive(['https://shop.example/']);
    t.falsy((await call(ann, 'visitor.invite', { visitorId: v.id })).error);
    return v.invitation;
  };

  t.like(await invited(), { agentNickname: 'Ann', agent: null, mode: 'bottom-left' }, 'avatars off: no picture and no name block');
  await avatars(true);
  t.deepEqual((await invited()).agent, { name: 'Ann', url: null }, 'no profile picture: the widget draws initials');
  const key = 'a'.repeat(32);
  await k.server.db('agents').where({ company_id: k.company.id, agent_id: 'ann' }).update({ avatar_key: key });
  t.deepEqual((await invited()).agent, { name: 'Ann', url: `/avatars/${key}` }, 'her profile picture');
});
