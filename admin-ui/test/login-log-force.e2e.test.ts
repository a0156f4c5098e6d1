import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 强制下线 from the 登录日志 (LOGINLOG-FORCE-7, AGENT-SESSIONS-20), with an admin console and the agent's console in two browser contexts. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
});
test.after.always(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await k?.close();
});

async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 860 }, locale: 'zh-CN' });
  contexts.push(context);
  return context;
}

const gusRow = (page: Page) => page.locator('[data-test="login-log-table"] tbody tr', { hasText: 'gus' }).first();

test.serial('LOGINLOG-FORCE-7 强制下线 from a row 在线中: the row shows 被管理员下线 within 1 s in every open log, and the agent’s console returns to login with the message', async (t) => {
  const created = await admin.post('/api/agents', { agentId: 'gus', name: 'Gus', password: 'Quiet-river-42', mustChangePassword: false });
  t.is(created.status, 201, created.text);

  const agentPage = await openPage(await newContext());
  await signInWith(agentPage, k.url, { companyId: k.company.publicId, agentId: 'gus', password: 'Quiet-river-42' });

  const adminContext = await newContext();
  const logPage = await openPage(adminContext);
  await signInWith(logPage, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  const address = `${k.url}/login-log?agentId=${created.body.id}&result=success`;
  await logPage.goto(address);
  const otherLog = await openPage(adminContext);
  await otherLog.goto(address);
  for (const p of [logPage, otherLog]) await gusRow(p).locator('[data-test="login-log-online"]').waitFor({ timeout: 10_000 });
  t.regex(await gusRow(logPage).innerText(), /在线中/);
  t.regex(await gusRow(logPage).innerText(), /网页端/, 'the method the console reported');

  await gusRow(logPage).scrollIntoViewIfNeeded();
  await logPage.screenshot({ path: screenshotPath('login-log-online-row') });
  await gusRow(logPage).locator('[data-test="login-log-sign-out"]').click();
  const box = logPage.locator('.el-message-box');
  await box.waitFor();
  t.regex(await box.innerText(), /Gus/);
  const answered = logPage.waitForResponse((r) => r.url().includes('/sign-out') && r.request().method() === 'POST');
  await box.locator('.el-button--primary').click();
  t.is((await answered).status(), 200);
  const since = Date.now();
  await gusRow(otherLog).locator('[data-test="login-log-logout-reason"]', { hasText: '被管理员下线' }).waitFor({ timeout: 1000 });
  t.true(Date.now() - since <= 1000, 'the other open log updated within 1 s');
  await gusRow(logPage).locator('[data-test="login-log-logout-reason"]', { hasText: '被管理员下线' }).waitFor({ timeout: 1000 });
  t.is(await gusRow(logPage).locator('[data-test="login-log-sign-out"]').count(), 0, 'no sign-out on a row no longer online');

  const notice = agentPage.locator('[data-test="login-session-ended"]');
  await notice.waitFor({ timeout: 2000 });
  t.regex(await notice.innerText(), /您已被管理员下线/);
  t.regex(agentPage.url(), /\/login/);
  await box.waitFor({ state: 'hidden' });
  await logPage.screenshot({ path: screenshotPath('login-log-force-sign-out') });

  // PROFILE-SESSIONS-5 lists each session with the method it signed in by (LOGIN-METHOD-16).
  await logPage.goto(`${k.url}/profile?tab=sessions`);
  const mine = logPage.locator('[data-test="profile-sessions"] tbody tr', { hasText: '当前浏览器' });
  await mine.waitFor({ timeout: 10_000 });
  t.regex(await mine.innerText(), /网页端/);

  const events = (await admin.get(`/api/login-log?result=event&agentId=${created.body.id}`)).body.items;
  t.like(events[0], { reason: 'ended_by_admin' });
  t.deepEqual(pageErrors, []);
});
