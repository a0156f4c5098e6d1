import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { freePort, num, percentiles, root, startKefu, writeResult, type DbKind } from './lib.ts';

const dist = path.join(root, 'widget', 'dist');

/**
 * The visitor widget's time to interactive (issue 6): from navigating to the demo page, whose snippet opens the
 * chat at once (the SDK stub's queued `open`), to the chat window ready (its config read, its socket connected,
 * its first screen drawn: with nobody signed in, the leave-message form). Beside it, in the same run and alternating, a bare baseline from a plain local
 * server: a page with an equally sized static iframe, ready when the iframe has loaded. Each run is a fresh
 * browser context (cold cache). BENCH_TTI_RUNS (10) runs each; BENCH_DB picks the database (first of the list, default embedded).
 */
export async function widgetTti(): Promise<string> {
  const runs = num('BENCH_TTI_RUNS', 10);
  const db = ((process.env.BENCH_DB ?? 'embedded').split(',')[0] || 'embedded') as DbKind;
  if (!fs.existsSync(path.join(dist, 'loader.js'))) execFileSync(process.execPath, [path.join(root, 'scripts/build-ui.mjs')], { stdio: 'inherit' });
  const server = await startKefu(db);
  const baseline = await serveBaseline();
  const browser = await chromium.launch({
    executablePath: process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const widgetMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      widgetMs.push(await widgetLoad(browser, server.url));
      baselineMs.push(await baselineLoad(browser, baseline.url));
    }
    const w = percentiles(widgetMs);
    const b = percentiles(baselineMs);
    const sizes = bundleSizes();
    const file = writeResult('widget-tti', { db, runs, sizes, widgetMs: w, baselineMs: b, samples: { widgetMs, baselineMs } });
    return (
      `widget-tti (${db}): navigation → chat window ready p50 ${w.p50} ms, p90 ${w.p90} ms; baseline (static iframe) p50 ${b.p50} ms, p90 ${b.p90} ms; ` +
      `loader ${sizes.loaderGzip} B, invite.js ${sizes.inviteGzip} B, window JS ${sizes.frameJsGzip} B gzipped → ${file}`
    );
  } finally {
    await browser.close();
    baseline.server.close();
    await server.stop();
  }
}

async function widgetLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => ((window as any).Kefu = { q: [['open', []]] }));
  const start = Date.now();
  await page.goto(url + '/demo');
  // Nobody is signed in on the bench server: the ready window is the leave-message form (config read, socket up).
  await page.frameLocator('kefu-widget iframe').locator('#app[data-state="leave"] #leave-form input').first().waitFor({ timeout: 30_000 });
  const ms = Date.now() - start;
  await context.close();
  return ms;
}

async function baselineLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(url + '/');
  await page.frameLocator('iframe').locator('#ready').waitFor({ timeout: 30_000 });
  const ms = Date.now() - start;
  await context.close();
  return ms;
}

/** The baseline: the same kind of page with a 380×560 static iframe where the chat window would be. */
async function serveBaseline(): Promise<{ url: string; server: http.Server }> {
  const page =
    '<!doctype html><title>Baseline</title><h1>Shop</h1>' +
    '<iframe src="/frame.html" style="position:fixed;right:20px;bottom:88px;width:380px;height:560px;border:0"></iframe>';
  const frame = '<!doctype html><title>Chat</title><p id="ready">Chat</p>';
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(req.url === '/frame.html' ? frame : page);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, server };
}

function bundleSizes() {
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(f)).length;
  const assets = path.join(dist, 'assets');
  const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  return {
    loaderGzip: gz(path.join(dist, 'loader.js')),
    // Loaded only with a page's first invitation (INVITE-RENDER-7).
    inviteGzip: gz(path.join(dist, 'invite.js')),
    frameJsGzip: js.reduce((n, f) => n + gz(path.join(assets, f)), 0),
  };
}
