import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { noisePng, pdfBytes, pngBytes, upload } from './helpers/uploads.ts';

let k: TestKefu;
let admin: TestClient;
const ROUTE = '/api/settings/widget/ad-image';
const fields = (r: { body: any }) => (r.body?.error?.fields ?? []).map((f: any) => `${f.path}:${f.code}`);
const setup = () => admin.get(`/api/widget/setup?c=${k.company.publicId}`);

async function saveAd(ad: Record<string, unknown>) {
  const { version, settings } = (await admin.get('/api/settings/widget')).body;
  return admin.put('/api/settings/widget', { version, settings: { ...settings, ad } });
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

test.serial('WINDOW-AD-3 the advertisement upload refuses other types and images over 512 KB on the file field', async (t) => {
  const big = await noisePng(500);
  t.true(big.length > 512 * 1024);
  const cases: [Buffer, string, string][] = [
    [pdfBytes(), 'ad.pdf', 'file:unsupported_image'],
    // A PDF named like an image is still a PDF: the content decides.
    [pdfBytes(), 'ad.png', 'file:unsupported_image'],
    [big, 'big.png', 'file:image_too_large'],
  ];
  for (const [bytes, name, want] of cases) {
    const r = await upload(k.url, ROUTE, { file: { bytes, name } }, admin);
    t.is(r.status, 400, name);
    t.deepEqual(fields(r), [want], name);
  }
  t.deepEqual(fields(await upload(k.url, ROUTE, { fields: { x: 1 } }, admin)), ['file:required']);
  t.is((await upload(k.url, ROUTE, { file: { bytes: await pngBytes(200, 300), name: 'ad.png' } })).status, 401);
});

test.serial('WINDOW-AD-3 off by default; when on the widget config carries the image, link and alt texts, and nothing once off again', async (t) => {
  const defaults = (await admin.get('/api/settings/widget')).body.settings.ad;
  t.like(defaults, { enabled: false, image: null, link: null });
  t.deepEqual(defaults.alt, { 'zh-CN': '', 'zh-TW': '', en: '', ja: '', ko: '' });
  t.is((await setup()).body.ad, null);

  t.deepEqual(fields(await saveAd({ enabled: true })), ['settings.ad.image:required']);

  const bytes = await pngBytes(400, 600);
  const up = await upload(k.url, ROUTE, { file: { bytes, name: 'spring-sale.png' } }, admin);
  t.is(up.status, 201, JSON.stringify(up.body));
  t.regex(up.body.url, /^\/style-images\/[A-Za-z0-9_-]{32}$/);
  const img = await fetch(k.url + up.body.url);
  t.is(img.headers.get('content-type'), 'image/png');
  t.true(Buffer.from(await img.arrayBuffer()).equals(bytes), 'served exactly as uploaded');

  const alt = { 'zh-CN': '春季促销', en: 'Spring sale' };
  const saved = await saveAd({ enabled: true, image: up.body.key, link: 'https://shop.example.com/sale?a=1', alt });
  t.is(saved.status, 200, JSON.stringify(saved.body));
  const on = await until(setup, (r) => r.body.ad !== null);
  t.deepEqual(on.body.ad, {
    url: up.body.url,
    link: 'https://shop.example.com/sale?a=1',
    alt: { 'zh-CN': '春季促销', 'zh-TW': '', en: 'Spring sale', ja: '', ko: '' },
  });

  // A new image replaces the old one, whose address stops working.
  const next = await upload(k.url, ROUTE, { file: { bytes: await pngBytes(200, 200), name: 'b.png' } }, admin);
  t.is((await saveAd({ enabled: true, image: next.body.key, link: null, alt })).status, 200);
  t.is((await fetch(k.url + up.body.url)).status, 404);
  t.is((await until(setup, (r) => r.body.ad?.url === next.body.url)).body.ad.link, null);

  t.is((await saveAd({ enabled: false, image: next.body.key, link: null, alt })).status, 200);
  t.is((await until(setup, (r) => r.body.ad === null)).body.ad, null);
});

test.serial('WINDOW-AD-3 a link other than http(s), an unknown image key or an unknown language is refused field by field', async (t) => {
  const img = await upload(k.url, ROUTE, { file: { bytes: await pngBytes(200, 200), name: 'c.png' } }, admin);
  for (const link of ['javascript:alert(1)', 'ftp://files.example.com/a', 'data:text/html,hi', 'shop.example.com'])
    t.deepEqual(fields(await saveAd({ enabled: true, image: img.body.key, link })), ['settings.ad.link:invalid_url'], link);
  t.deepEqual(fields(await saveAd({ enabled: true, image: 'A'.repeat(32) })), ['settings.ad.image:unknown_image']);
  t.deepEqual(fields(await saveAd({ enabled: true, image: img.body.key, alt: { fr: 'Soldes' } })), ['settings.ad.alt.fr:unknown_language']);
  t.is((await saveAd({ enabled: true, image: img.body.key, link: 'http://example.com' })).status, 200);
});
