import test from 'ava';
import { io, type Socket } from 'socket.io-client';
import { DESKTOP_CHROME, startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { agentSocket, call } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;
let agent: Socket;
const NANJING = '114.114.114.114';
const HANGZHOU = '223.5.5.5';
const USA = '8.8.8.8';

/** A widget socket seen from `ip` (the test server trusts X-Forwarded-For from loopback). */
const visitorFrom = (ip: string) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(k.url + '/visitor', {
      auth: { companyId: k.company.publicId },
      extraHeaders: { 'user-agent': DESKTOP_CHROME, 'x-forwarded-for': ip },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    s.once('session', () => resolve(s));
    s.once('connect_error', reject);
  });

async function requestFrom(ip: string) {
  const s = await visitorFrom(ip);
  const r = await call(s, 'chat.request', {});
  s.close();
  return r;
}

async function save(settings: Record<string, unknown>) {
  const { version } = (await admin.get('/api/settings/region')).body;
  return admin.put('/api/settings/region', { version, settings });
}

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  agent = await agentSocket(k.url, admin);
});
test.after.always(async () => {
  agent?.close();
  await k?.close();
});

test.serial('REGION-MODE-1 off by default; turning it on needs regions; bad entries name the field; stale saves conflict', async (t) => {
  const read = await admin.get('/api/settings/region');
  t.like(read.body, { version: 0, settings: { enabled: false, mode: 'serve', entries: [], unknown: 'serve', leaveMessage: true } });
  t.true((await requestFrom(USA)).ok, 'every region is served while off');

  let r = await save({ enabled: true, mode: 'serve', entries: [] });
  t.is(r.status, 400);
  t.deepEqual(
    r.body.error.fields.map((f: any) => [f.path, f.code]),
    [['settings.entries', 'regions_required']],
  );
  r = await save({ enabled: true, entries: [{ country: '中国', city: '南京市' }], mode: 'both' });
  t.is(r.status, 400);
  t.deepEqual(r.body.error.fields.map((f: any) => f.path).sort(), ['settings.entries.0.province', 'settings.mode']);
  r = await admin.put('/api/settings/region', { version: 7, settings: {} });
  t.is(r.status, 409);
  t.is(r.body.error.code, 'settings_changed');
});

test.serial('REGION-ENFORCE-2 serve only the listed regions: others get region_not_served with the notice; running chats go on', async (t) => {
  const running = await visitorFrom(HANGZHOU);
  const chat = await call(running, 'chat.request', {});
  t.true(chat.ok);
  const r = await save({
    enabled: true,
    mode: 'serve',
    entries: [{ country: '中国', province: '江苏省' }],
    notice: { en: 'Jiangsu only, sorry.', 'zh-CN': '' },
  });
  t.is(r.status, 200, r.text);

  t.true((await requestFrom(NANJING)).ok, 'a city in the listed province is served');
  const refused = await requestFrom(HANGZHOU);
  t.is(refused.error.code, 'region_not_served');
  t.is((await requestFrom(USA)).error.code, 'region_not_served');
  t.true((await requestFrom('127.0.0.1')).ok, 'unknown regions are served by default');

  // The widget learns the verdict and the notice for its own address (REGION-RENDER-5).
  const from = (ip: string) => new TestClient(k.url, { 'x-forwarded-for': ip }).get(`/api/widget/setup?c=${k.company.publicId}`);
  t.like((await from(USA)).body.region, {
    served: false,
    leaveMessage: true,
    notice: { en: 'Jiangsu only, sorry.', 'zh-CN': '抱歉,您所在的地区暂不提供在线咨询服务。' },
  });
  t.like((await from(NANJING)).body.region, { served: true });

  // Saving never cuts a chat that is running.
  const again = await call(running, 'chat.request', {});
  t.true(again.ok);
  t.is(again.conversation.id, chat.conversation.id);
  running.close();
});

test.serial('REGION-MODE-1 refuse the listed regions; unknown regions refused when set so', async (t) => {
  t.is((await save({ enabled: true, mode: 'refuse', entries: [{ country: '美国' }], unknown: 'refuse', leaveMessage: false })).status, 200);
  t.is((await requestFrom(USA)).error.code, 'region_not_served');
  t.true((await requestFrom(HANGZHOU)).ok);
  t.is((await requestFrom('127.0.0.1')).error.code, 'region_not_served', 'LAN counts as unknown');
  const other = await k.createCompany('Everywhere');
  const s = io(k.url + '/visitor', {
    auth: { companyId: other.publicId },
    extraHeaders: { 'x-forwarded-for': USA },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise((resolve) => s.once('session', resolve));
  const r = await call(s, 'chat.request', {});
  s.close();
  t.not(r.error?.code, 'region_not_served', "another company's rule does not apply");
});
