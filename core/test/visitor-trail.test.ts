import test from 'ava';
import { call, startTestServer, visitorSocket, type TestKefu } from '@kefu/core/testing';

let k: TestKefu;
test.before(async () => {
  k = await startTestServer();
});
test.after.always(async () => {
  await k?.close();
});

/** A visitor who has viewed a page, with the internal id the console's API takes. */
async function browsing() {
  const v = await visitorSocket(k.url, k.company.publicId);
  const row = await k.server.db('visitors').where({ company_id: k.company.id, number: v.visitorNumber }).first('id');
  return { ...v, visitorId: Number(row.id) };
}

test('WORKBENCH-TRAIL-7 the trail lists the current visit newest first with time on page, caps at 500 counting the rest, and keeps 20 earlier visits', async (t) => {
  const api = await k.login();
  const v = await browsing();
  try {
    for (const [url, title] of [
      ['https://shop.example.com/?utm_campaign=spring', 'Home'],
      ['https://shop.example.com/pricing', 'Pricing <b>now</b>'],
    ])
      t.true((await call(v.socket, 'page.view', { url, title, referrer: 'https://news.example.org/article' })).ok);
    const r = await api.get(`/api/visitors/${v.visitorId}/trail`);
    t.is(r.status, 200, r.text);
    const current = r.body.current;
    t.deepEqual(
      current.pages.map((p: any) => [p.url, p.title]),
      [
        ['https://shop.example.com/pricing', 'Pricing <b>now</b>'],
        ['https://shop.example.com/?utm_campaign=spring', 'Home'],
      ],
    );
    t.is(current.pageCount, 2);
    t.true(current.pages.every((p: any) => p.seconds >= 0));
    t.is(current.source.kind, 'campaign');
    t.is(current.source.campaign, 'spring');
    t.is(current.landingUrl, 'https://shop.example.com/?utm_campaign=spring');

    // 25 earlier visits, the latest of them with 600 page views: 20 are listed, each capped at 500 and counted.
    const db = k.server.db;
    const base = Date.now() - 30 * 86_400_000;
    const visits = await db('visits')
      .insert(
        Array.from({ length: 25 }, (_, i) => ({
          company_id: k.company.id,
          visitor_id: v.visitorId,
          search_engine: 'baidu',
          search_keyword: `kw ${i}`,
          started_at: new Date(base + i * 3_600_000),
          last_at: new Date(base + i * 3_600_000 + 600_000),
        })),
      )
      .returning('id');
    const big = Number(visits.at(-1).id);
    await db('page_views').insert(
      Array.from({ length: 600 }, (_, i) => ({
        company_id: k.company.id,
        visitor_id: v.visitorId,
        visit_id: big,
        url: `https://shop.example.com/p/${i}`,
        created_at: new Date(base + 24 * 3_600_000 + i * 1000),
      })),
    );
    const again = (await api.get(`/api/visitors/${v.visitorId}/trail`)).body;
    t.is(again.current.pageCount, 2, 'the newest visit is still the current one');
    t.is(again.earlier.length, 20);
    t.deepEqual(
      again.earlier.slice(0, 2).map((x: any) => x.source.keyword),
      ['kw 24', 'kw 23'],
    );
    const heavy = again.earlier[0];
    t.is(heavy.source.kind, 'search');
    t.is(heavy.pageCount, 600);
    t.is(heavy.pages.length, 500);
    t.is(heavy.pages[0].url, 'https://shop.example.com/p/599', 'newest first');
    t.is(heavy.pages[1].seconds, 1, 'time on page runs to the next page');
  } finally {
    v.socket.disconnect();
  }
});

test('WORKBENCH-TRAIL-7 another company cannot read a trail (404), a bad id is 400 and signed-out callers 401', async (t) => {
  const v = await browsing();
  try {
    t.true((await call(v.socket, 'page.view', { url: 'https://shop.example.com/', title: 'Home' })).ok);
    const other = await k.createCompany('Other');
    const stranger = await k.login('admin', other.adminPassword, other.publicId);
    const r = await stranger.get(`/api/visitors/${v.visitorId}/trail`);
    t.is(r.status, 404);
    t.is(r.body.error.code, 'not_found');
    const api = await k.login();
    const bad = await api.get('/api/visitors/abc/trail');
    t.is(bad.status, 400);
    t.is(bad.body.error.code, 'validation_failed');
    t.is((await k.client().get(`/api/visitors/${v.visitorId}/trail`)).status, 401);
  } finally {
    v.socket.disconnect();
  }
});
