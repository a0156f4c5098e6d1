import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { repoRoot, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';

/** Debian's Chromium driven by playwright-core; never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A started server (with `env`) and a browser for one test file: ready before its tests, closed after them, with the
 * first company's admin signed in over the API. The fields are filled in by the time a test runs.
 */
export function serverAndBrowser(env: Record<string, string> = {}): { k: TestKefu; browser: Browser; admin: TestClient } {
  const s = {} as { k: TestKefu; browser: Browser; admin: TestClient };
  test.before(async () => {
    [s.k, s.browser] = await Promise.all([startTestServer(env), launchBrowser()]);
    s.admin = await s.k.login();
  });
  test.after.always(async () => {
    await s.browser?.close();
    await s.k?.close();
  });
  return s;
}

export const artifactsDir = path.join(repoRoot, '.test-artifacts');
export function screenshotPath(name: string): string {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
}

/** A settings screen's live preview (STYLE-PREVIEW-6): the frame holding /widget/preview.html, once it has drawn. */
export async function previewFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('[data-test="preview-frame"]').elementHandle();
  const frame = await handle!.contentFrame();
  // Attached, not visible: the invitation screen draws over a stand-in page with the chat window hidden.
  await frame!.locator('#app[data-preview="ready"]').waitFor({ state: 'attached' });
  return frame!;
}

/** Element Plus puts `data-test` on the input element or on its wrapper, depending on the input's kind. */
export const field = (page: Page, name: string) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

/** Signs in through the console's login form and waits for the workbench. */
export async function signInWith(page: Page, url: string, who: { companyId: number; agentId: string; password: string }): Promise<void> {
  await page.goto(url + '/');
  await field(page, 'login-company').fill(String(who.companyId));
  await field(page, 'login-agent').fill(who.agentId);
  await field(page, 'login-password').fill(who.password);
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
}
