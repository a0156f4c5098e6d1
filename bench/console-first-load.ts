import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, num, percentiles, root, startKefu, writeResult, type DbKind } from './lib.ts';

const dist = path.join(root, 'admin-ui', 'dist');
const baselineDir = path.join(dist, 'bench-baseline');

/**
 * The console's first load in Chromium (issue 7): from navigating to the login page, through signing in, to
 * the workbench ready (its snapshot loaded, the loading mask gone), each run in a fresh browser context (cold
 * cache). Beside it, in the same run and from the same server, a bare baseline: a static page that loads the
 * same number of script bytes (the console's own chunks, wrapped in a function that is never called) and
 * marks itself ready. The difference is what the console does beyond fetching and parsing its code.
 * BENCH_FIRSTLOAD_RUNS (10) runs each, alternating; BENCH_DB picks the database (first of the list, default pg).
 */
export async function consoleFirstLoad(): Promise<string> {
  const runs = num('BENCH_FIRSTLOAD_RUNS', 10);
  const db = ((process.env.BENCH_DB ?? 'pg').split(',')[0] || 'pg') as DbKind;
  if (!fs.existsSync(path.join(dist, 'index.html'))) execFileSync(process.execPath, [path.join(root, 'scripts/build-ui.mjs')], { stdio: 'inherit' });
  const server = await startKefu(db);
  const browser = await chromium.launch({
    executablePath: process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const sizes = await measureBundle(browser, server.url, server.companyId!);
    writeBaseline(sizes.files);
    const consoleMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      consoleMs.push(await consoleLoad(browser, server.url, server.companyId!));
      baselineMs.push(await baselineLoad(browser, server.url));
    }
    const c = percentiles(consoleMs);
    const b = percentiles(baselineMs);
    const file = writeResult('console-first-load', { db, runs, bundle: sizes.summary, consoleMs: c, baselineMs: b, samples: { consoleMs, baselineMs } });
    return (
      `console-first-load (${db}): login page → workbench ready p50 ${c.p50} ms, p90 ${c.p90} ms; ` +
      `baseline (same ${kib(sizes.summary.jsBytes)} of script, static) p50 ${b.p50} ms; ` +
      `JS ${kib(sizes.summary.jsGzipBytes)} gzipped (${sizes.summary.jsFiles} files), CSS ${kib(sizes.summary.cssGzipBytes)} gzipped → ${file}`
    );
  } finally {
    fs.rmSync(baselineDir, { recursive: true, force: true });
    await browser.close();
    await server.stop();
  }
}

const kib = (bytes: number) => `${Math.round(bytes / 102.4) / 10} KiB`;

async function signInAndWait(page: Page, url: string, companyId: number): Promise<number> {
  const start = Date.now();
  await page.goto(url + '/');
  const input = (name: string) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
  await input('login-company').fill(String(companyId));
  await input('login-agent').fill('admin');
  await input('login-password').fill(ADMIN_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="wb-toolbar"]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-test="workbench"]') && !document.querySelector('.wb-body > .el-loading-mask'), undefined, {
    timeout: 60_000,
    polling: 10,
  });
  return Date.now() - start;
}

async function consoleLoad(browser: Browser, url: string, companyId: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    return await signInAndWait(await context.newPage(), url, companyId);
  } finally {
    await context.close();
  }
}

async function baselineLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(url + '/bench-baseline/index.html');
    await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 60_000, polling: 10 });
    return Date.now() - start;
  } finally {
    await context.close();
  }
}

/** One instrumented load: which script and style files the console fetched up to the ready workbench, raw and gzipped. */
async function measureBundle(browser: Browser, url: string, companyId: number) {
  const context = await browser.newContext();
  const files = new Set<string>();
  const page = await context.newPage();
  page.on('response', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/assets/')) files.add(p.slice(1));
  });
  await signInAndWait(page, url, companyId);
  await context.close();
  const list = [...files].filter((f) => fs.existsSync(path.join(dist, f)));
  const sum = (ext: string, gz: boolean) =>
    list
      .filter((f) => f.endsWith(ext))
      .reduce((n, f) => {
        const data = fs.readFileSync(path.join(dist, f));
        return n + (gz ? zlib.gzipSync(data, { level: 9 }).length : data.length);
      }, 0);
  return {
    files: list.filter((f) => f.endsWith('.js')),
    summary: {
      jsFiles: list.filter((f) => f.endsWith('.js')).length,
      jsBytes: sum('.js', false),
      jsGzipBytes: sum('.js', true),
      cssBytes: sum('.css', false),
      cssGzipBytes: sum('.css', true),
    },
  };
}

/** The baseline: the console's chunks as never-called functions in one static script, so it costs the same to fetch and parse. */
function writeBaseline(jsFiles: string[]) {
  fs.mkdirSync(baselineDir, { recursive: true });
  // Module syntax (import/export) cannot sit inside a function; as strings the bytes still travel and are scanned.
  const body = jsFiles.map((f) => `void function(){return ${JSON.stringify(fs.readFileSync(path.join(dist, f), 'utf8'))}};`).join('\n');
  fs.writeFileSync(path.join(baselineDir, 'baseline.js'), `${body}\ndocument.body.dataset.ready = '1';\n`);
  fs.writeFileSync(
    path.join(baselineDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head><body><script src="baseline.js"></script></body></html>',
  );
}
