import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '@kefu/core/testing';

/** Debian's Chromium driven by playwright-core; never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const artifactsDir = path.join(repoRoot, '.test-artifacts');
export function screenshotPath(name: string): string {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
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
