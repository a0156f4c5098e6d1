import test from 'ava';
import sharp from 'sharp';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { noisePng, pdfBytes, pngBytes, upload } from './helpers/uploads.ts';

let k: TestKefu;
let admin: TestClient;
const fields = (r: { body: any }) => (r.body?.error?.fields ?? []).map((f: any) => `${f.path}:${f.code}`);
const setup = () => admin.get(`/api/widget/setup?c=${k.company.publicId}`);

async function save(section: 'avatars' | 'mobile', settings: Record<string, unknown>) {
  const { version } = (await admin.get(`/api/settings/${section}`)).body;
  return admin.put(`/api/settings/${section}`, { version, settings });
}
/** Waits out the widget's 5-second settings cache on this node. */
async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 7000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
  }
}

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

test.serial('AVATAR-UPLOAD-2 PROFILE-AVATAR-4 bad avatar images are refused naming the file field', async (t) => {
  const cases: [Buffer, string, string][] = [
    [pdfBytes(), 'me.pdf', 'file:unsupported_image'],
    [await pngBytes(40, 200), 'thin.png', 'file:image_too_small'],
    [await noisePng(400), 'big.png', 'file:image_too_large'],
  ];
  for (const [bytes, name, want] of cases) {
    const r = await upload(k.url, '/api/profile/avatar', { file: { bytes, name } }, admin);
    t.is(r.status, 400, name);
    t.deepEqual(fields(r), [want], name);
  }
  const none = await upload(k.url, '/api/profile/avatar', { fields: { x: 1 } }, admin);
  t.deepEqual(fields(none), ['file:required']);
  t.is((await admin.get('/api/profile')).body.avatarUrl, null);
});

test.serial(
  'PROFILE-AVATAR-4 AVATAR-SWITCH-1 AVATAR-UPLOAD-2 a profile picture is cropped to 96×96 and reaches the widget only while avatars are on',
  async (t) => {
    const me = (await admin.get('/api/profile')).body;
    const r = await upload(k.url, '/api/profile/avatar', { file: { bytes: await pngBytes(300, 200), name: 'wide.png' } }, admin);
    t.is(r.status, 200, JSON.stringify(r.body));
    t.regex(r.body.avatarUrl, /^\/avatars\/[A-Za-z0-9_-]{32}$/);
    t.is((await admin.get('/api/profile')).body.avatarUrl, r.body.avatarUrl);
    const img = await fetch(k.url + r.body.avatarUrl);
    t.is(img.headers.get('content-type'), 'image/webp');
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    t.deepEqual([meta.width, meta.height, meta.format], [96, 96, 'webp']);

    // Off by default: the widget hears of no picture at all.
    t.is((await setup()).body.avatars, null);
    t.is((await admin.get(`/api/widget/agents/${me.id}/avatar?c=${k.company.publicId}`)).status, 404);

    t.is((await save('avatars', { enabled: true })).status, 200);
    const on = await until(setup, (s) => s.body.avatars !== null);
    t.deepEqual(on.body.avatars, { agent: { source: 'console', url: null }, visitorUrl: null, robotUrl: null });
    const serving = await admin.get(`/api/widget/agents/${me.id}/avatar?c=${k.company.publicId}`);
    t.deepEqual(serving.body, { name: me.nickname, url: r.body.avatarUrl });

    // Removing it: initials again, and the old image is gone.
    t.deepEqual((await admin.del('/api/profile/avatar')).body, { avatarUrl: null });
    t.is((await admin.get(`/api/widget/agents/${me.id}/avatar?c=${k.company.publicId}`)).body.url, null);
    t.is((await fetch(k.url + r.body.avatarUrl)).status, 404);
  },
);

test.serial('AVATAR-SWITCH-1 AVATAR-UPLOAD-2 custom agent and visitor avatars: uploaded images, field-level errors for missing or foreign ones', async (t) => {
  const me = (await admin.get('/api/profile')).body;
  let r = await save('avatars', { enabled: true, agent: { source: 'custom' } });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['settings.agent.image:required']);
  r = await save('avatars', { enabled: true, agent: { source: 'custom', image: 'A'.repeat(32) } });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['settings.agent.image:unknown_image']);

  const up = await upload(k.url, '/api/settings/avatars/images', { file: { bytes: await pngBytes(128, 128), name: 'team.png' } }, admin);
  t.is(up.status, 201, JSON.stringify(up.body));
  const vis = await upload(k.url, '/api/settings/avatars/images', { file: { bytes: await pngBytes(64, 64), name: 'guest.png' } }, admin);
  r = await save('avatars', { enabled: true, agent: { source: 'custom', image: up.body.key }, visitor: { source: 'custom', image: vis.body.key } });
  t.is(r.status, 200, JSON.stringify(r.body));
  t.like(r.body.urls, { agent: up.body.url, visitor: vis.body.url, robot: null });
  const s = await until(setup, (x) => x.body.avatars?.agent.source === 'custom');
  // The robot's picture stays out while the robot plugin is off for the company.
  t.deepEqual(s.body.avatars, { agent: { source: 'custom', url: up.body.url }, visitorUrl: vis.body.url, robotUrl: null });
  t.is((await admin.get(`/api/widget/agents/${me.id}/avatar?c=${k.company.publicId}`)).body.url, up.body.url);

  // Another company cannot use this company's upload.
  const other = await k.createCompany('Other');
  const otherAdmin = await k.login('admin', other.adminPassword, other.publicId);
  const foreign = await otherAdmin.put('/api/settings/avatars', { version: 0, settings: { enabled: true, agent: { source: 'custom', image: up.body.key } } });
  t.deepEqual(fields(foreign), ['settings.agent.image:unknown_image']);
  // Back to built-in pictures: the replaced custom images are deleted.
  t.is((await save('avatars', { enabled: false })).status, 200);
  t.is((await fetch(k.url + up.body.url)).status, 404);
  t.is((await fetch(k.url + vis.body.url)).status, 404);
});

test.serial('MOBILE-SWITCH-1 MOBILE-ICON-2 MOBILE-WINDOW-3 the mobile window: on by default, inherits the desktop window unless overridden', async (t) => {
  const s = (await setup()).body;
  t.like(s.mobile, {
    openMode: 'overlay',
    themeColor: s.style.themeColor,
    icon: { hidden: false, type: 'float', left: false, mid: false, size: 56, marginX: 16, marginY: 16, color: s.style.themeColor, guide: {} },
    texts: s.texts,
    toolbar: { emoji: true, image: true, file: true, rating: true },
  });

  let r = await save('mobile', {
    icon: { size: 90, offsetX: -1, guide: { en: 'x'.repeat(21) } },
    window: { openMode: 'popup', themeColor: 'red', texts: { en: { hello: 'Hi' } } },
  });
  t.is(r.status, 400);
  t.deepEqual(fields(r).sort(), [
    'settings.icon.guide.en:too_big',
    'settings.icon.offsetX:too_small',
    'settings.icon.size:too_big',
    'settings.window.openMode:invalid_value',
    'settings.window.texts.en.hello:unknown_field',
    'settings.window.themeColor:invalid_format',
  ]);

  r = await save('mobile', {
    icon: { style: 'bar', position: 'middle-left', size: 48, guide: { en: 'Ask us' } },
    window: {
      openMode: 'page',
      // An empty text inherits, like one left out.
      title: { en: 'Help', 'zh-CN': '' },
      texts: { en: { welcome: 'Hi from your phone!', warning: '' } },
      themeColor: '#00aa55',
      toolbar: { emoji: false, image: true, file: false, rating: true },
    },
  });
  t.is(r.status, 200, JSON.stringify(r.body));
  const m = (await until(setup, (x) => x.body.mobile?.openMode === 'page')).body.mobile;
  t.like(m, {
    openMode: 'page',
    themeColor: '#00aa55',
    icon: { type: 'text', left: true, mid: true, size: 48, color: '#00aa55', guide: { en: 'Ask us', 'zh-CN': '咨询' } },
    texts: { en: { ...s.texts.en, title: 'Help', welcome: 'Hi from your phone!' }, 'zh-CN': s.texts['zh-CN'] },
    toolbar: { emoji: false, file: false, image: true },
  });

  t.is((await save('mobile', { enabled: false })).status, 200);
  t.is((await until(setup, (x) => x.body.mobile === null)).body.mobile, null);
  t.is((await save('mobile', {})).status, 200);
});

test.serial('MOBILE-LINK-4 every icon has a hosted chat page address with a server-drawn QR code', async (t) => {
  const icon = (await admin.post('/api/icons', { name: 'App menu', type: 'float' })).body;
  t.is(icon.code.link, `${k.url}/chat/${k.company.publicId}/${icon.key}`);
  const r = await admin.get(`/api/icons/${icon.id}/chat-link?lang=en`);
  t.is(r.status, 200);
  t.is(r.body.url, `${icon.code.link}?lang=en`);
  t.regex(r.body.qrSvg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path/);
  t.deepEqual(fields(await admin.get(`/api/icons/${icon.id}/chat-link?lang=fr`)), ['query.lang:invalid_value']);
  t.is((await admin.get('/api/icons/999999/chat-link')).status, 404);
  // An unknown icon or company has no page, like its embed code.
  t.is((await fetch(`${k.url}/chat/${k.company.publicId}/NoSuchIcon`)).status, 404);
  t.is((await fetch(`${k.url}/chat/999999/${icon.key}`)).status, 404);
});
