import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '@kefu/core/testing';

/** Debian's Chromium driven by playwright-core; never downloads a browser (same pattern as admin-ui/test). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const widgetDist = path.join(repoRoot, 'widget', 'dist');
export function screenshotPath(name: string): string {
  const dir = path.join(repoRoot, '.test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `widget-${name}.png`);
}
