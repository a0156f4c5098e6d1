import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { contrastRatio } from '@kefu/core/theme';
import { StyleImageService } from '../src/settings/style-image-service.ts';
import { noisePng, pngBytes, upload } from './helpers/uploads.ts';

let k: TestKefu;
let admin: TestClient;
const fields = (r: { body: any }) => (r.body?.error?.fields ?? []).map((f: any) => `${f.path}:${f.code}`);

async function save(change: (s: any) => void) {
  const { version, settings } = (await admin.get('/api/settings/widget')).body;
  change(settings);
  return admin.put('/api/settings/widget', { version, settings });
}
/** The widget's config as a visitor's page gets it, once the 5-second cache has let a save through. */
async function configWhen(ok: (c: any) => boolean): Promise<any> {
  let c: any;
  for (const end = Date.now() + 7000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    c = (await admin.get(`/api/widget/setup?c=${k.company.publicId}`)).body;
    if (ok(c)) break;
  }
  return c;
}

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(() => k?.close());

test.serial('WINDOW-BRAND-6 a theme colour other than #RRGGBB answers invalid_color on its field and changes nothing', async (t) => {
  for (const bad of ['red', '#12345', '#1234567', 'rgb(0,0,0)']) {
    const r = await save((s) => (s.style.themeColor = bad));
    t.is(r.status, 400, bad);
    t.deepEqual(fields(r), ['settings.style.themeColor:invalid_color'], bad);
  }
  t.is((await admin.get('/api/settings/widget')).body.settings.style.themeColor, '#1677ff');
});

test.serial('WINDOW-BRAND-6 the window title names the company, and the text on the theme colour is chosen for WCAG AA contrast', async (t) => {
  const company = (await admin.get('/api/company')).body;
  let c = await configWhen(() => true);
  t.is(c.companyName, company.name);
  // The default blue keeps white text.
  t.is(c.style.themeText, '#ffffff');
  t.true(contrastRatio(c.style.themeColor, c.style.themeText) >= 4, 'white on the default blue');

  t.is((await save((s) => ((s.style.themeColor = '#ffe600'), (s.texts['zh-CN'].title = '{company} 在线客服')))).status, 200);
  c = await configWhen((x) => x.style.themeColor === '#ffe600');
  t.is(c.texts['zh-CN'].title, '{company} 在线客服');
  // White on yellow would be unreadable (1.2:1): the widget gets dark text instead.
  t.is(c.style.themeText, '#1f2328');
  t.true(contrastRatio('#ffe600', c.style.themeText) >= 4.5);
  t.true(contrastRatio('#ffe600', '#ffffff') < 1.5);
});

test.serial(
  'WINDOW-OPEN-7 and WINDOW-INPAGE-8 open mode, separate-window size, window language and guide text: defaults, limits, saved values reach the widget',
  async (t) => {
    const { settings } = (await admin.get('/api/settings/widget')).body;
    t.like(settings.style, { openMode: 'inpage', windowWidth: 800, windowHeight: 600, language: 'auto', position: 'bottom-right', width: 380, height: 560 });
    t.is(settings.texts['zh-CN'].guide, '在线咨询,点击开始对话');
    t.is(settings.texts.en.guide, 'Questions? Chat with us');

    const r = await save((s) => {
      s.style.openMode = 'popup';
      s.style.windowWidth = 500;
      s.style.windowHeight = 1000;
      s.style.language = 'fr';
      s.texts.en.guide = 'x'.repeat(31);
    });
    t.is(r.status, 400);
    t.deepEqual(fields(r).sort(), [
      'settings.style.language:invalid_value',
      'settings.style.openMode:invalid_value',
      'settings.style.windowHeight:too_big',
      'settings.style.windowWidth:too_small',
      'settings.texts.en.guide:too_big',
    ]);

    const ok = await save((s) => {
      Object.assign(s.style, { openMode: 'window', windowWidth: 1000, windowHeight: 700, language: 'ja' });
      s.texts.ja.guide = 'チャットはこちら';
    });
    t.is(ok.status, 200);
    const c = await configWhen((x) => x.style.openMode === 'window');
    t.like(c.style, { openMode: 'window', windowWidth: 1000, windowHeight: 700, language: 'ja' });
    t.is(c.texts.ja.guide, 'チャットはこちら');
    // A guide text left at its default is not sent: the bar keeps the icon's own words (ICON-TYPES-3).
    t.is(c.texts.en.guide, undefined);
  },
);

test.serial(
  'STYLE-UPLOAD-5 WINDOW-BRAND-6 the window logo: images only, by content, at most 200 KB; saved, served for good; replaced or never saved, it goes',
  async (t) => {
    const LOGO = '/api/settings/widget/logo';
    const svg = await upload(
      k.url,
      LOGO,
      { file: { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), name: 'logo.png' } },
      admin,
    );
    t.is(svg.status, 400);
    t.deepEqual(fields(svg), ['file:unsupported_image']);
    const noise = await noisePng(300);
    const big = await upload(k.url, LOGO, { file: { bytes: noise, name: 'big.png' } }, admin);
    t.deepEqual(fields(big), ['file:image_too_large']);
    t.regex(big.body.error.fields[0].message, /200 KB/);

    const first = await upload(k.url, LOGO, { file: { bytes: await pngBytes(120, 40), name: 'logo.png' } }, admin);
    t.is(first.status, 201, JSON.stringify(first.body));
    const ad = await upload(k.url, '/api/settings/widget/ad-image', { file: { bytes: await pngBytes(200, 300), name: 'ad.png' } }, admin);
    // Each image belongs where it was uploaded for.
    t.deepEqual(fields(await save((s) => (s.style.logo = ad.body.key))), ['settings.style.logo:unknown_image']);
    t.is((await save((s) => (s.style.logo = first.body.key))).status, 200);
    let c = await configWhen((x) => !!x.style.logo);
    t.is(c.style.logo, first.body.url);
    const served = await fetch(k.url + first.body.url);
    t.is(served.headers.get('content-type'), 'image/png');
    t.regex(served.headers.get('cache-control') ?? '', /immutable/);

    const second = await upload(k.url, LOGO, { file: { bytes: await pngBytes(90, 30), name: 'logo2.png' } }, admin);
    t.is((await save((s) => (s.style.logo = second.body.key))).status, 200);
    t.is((await fetch(k.url + first.body.url)).status, 404, 'the replaced logo is gone');

    // An upload left unsaved (the ad above) is swept once a day has passed; what the settings name stays.
    const sweep = () => k.server.container.resolve(StyleImageService).sweep();
    await sweep();
    t.is((await fetch(k.url + ad.body.url)).status, 200, 'a fresh upload may still be saved');
    await k.server.db('style_images').update({ created_at: new Date(Date.now() - 25 * 3_600_000) });
    await sweep();
    t.is((await fetch(k.url + ad.body.url)).status, 404);
    t.is((await fetch(k.url + second.body.url)).status, 200);

    t.is((await save((s) => (s.style.logo = null))).status, 200);
    c = await configWhen((x) => !x.style.logo);
    t.is(c.style.logo, null);
  },
);

test.serial(
  'INVITE-STYLE-6 STYLE-UPLOAD-5 the custom invitation background: at most 300 KB, its own kind of image, sent to pages only with the custom template',
  async (t) => {
    const IMAGE = '/api/settings/widget/invite-image';
    const noise = await noisePng(360);
    const big = await upload(k.url, IMAGE, { file: { bytes: noise, name: 'big.png' } }, admin);
    t.deepEqual(fields(big), ['file:image_too_large']);
    t.regex(big.body.error.fields[0].message, /300 KB/);

    const bg = await upload(k.url, IMAGE, { file: { bytes: await pngBytes(360, 200), name: 'bg.png' } }, admin);
    t.is(bg.status, 201, JSON.stringify(bg.body));
    const logo = await upload(k.url, '/api/settings/widget/logo', { file: { bytes: await pngBytes(40, 40), name: 'logo.png' } }, admin);
    t.deepEqual(fields(await save((s) => (s.invite.style.image = logo.body.key))), ['settings.invite.style.image:unknown_image']);
    t.is((await save((s) => (s.invite.style = { ...s.invite.style, template: 'dark', image: bg.body.key }))).status, 200);
    let c = await configWhen((x) => x.invite.style.template === 'dark');
    t.is(c.invite.style.image, null, 'a built-in template shows no background');
    t.is((await save((s) => (s.invite.style.template = 'custom'))).status, 200);
    c = await configWhen((x) => x.invite.style.template === 'custom');
    t.is(c.invite.style.image, bg.body.url);
    t.is((await fetch(k.url + bg.body.url)).status, 200);

    t.is((await save((s) => (s.invite.style.image = null))).status, 200);
    t.is((await fetch(k.url + bg.body.url)).status, 404, 'removed from the settings, the image goes');
  },
);
