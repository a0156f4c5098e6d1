import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import sharp from 'sharp';
import { next, repoRoot, type TestClient } from '@kefu/core/testing';

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

/** Uploads a one-colour PNG to a settings image route (advertisement, invitation background) as `admin`. */
export async function uploadPng(url: string, admin: TestClient, route: string, png: { width: number; height: number; colour: string }) {
  const bytes = await sharp({ create: { width: png.width, height: png.height, channels: 3, background: png.colour } })
    .png()
    .toBuffer();
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'image.png');
  const r = await fetch(url + route, { method: 'POST', body: fd, headers: { origin: url, cookie: admin.cookie } });
  if (r.status !== 201) throw new Error(await r.text());
  return (await r.json()) as { key: string; url: string };
}

/** Polls `get` until `ok` holds or `ms` pass; answers the last value, so the assertion after it shows what was wrong. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
  }
}

/** Opens the server's /demo page of `company` and the chat; the frame is returned once its window shows a state. */
export async function openDemoChat(page: Page, url: string, company: number): Promise<FrameLocator> {
  await page.goto(`${url}/demo?c=${company}`);
  await page.locator('kefu-widget button.btn').click();
  const frame = page.frameLocator('kefu-widget iframe');
  await frame.locator('#app:not([data-state="loading"])').waitFor({ timeout: 15_000 });
  return frame;
}

/** Starts a chat from /demo that `agent` (auto-assigned) serves; answers the frame and the conversation id. */
export async function chatWithAgent(page: Page, url: string, company: number, agent: Socket): Promise<{ frame: FrameLocator; conversationId: number }> {
  const frame = await openDemoChat(page, url, company);
  const served = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active', 15_000);
  await frame.locator('#start-chat').click();
  const { conversation } = await served;
  await frame.locator('#app[data-state="active"]').waitFor({ timeout: 15_000 });
  return { frame, conversationId: conversation.id };
}
