import fs from 'node:fs';
import net from 'node:net';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { ADMIN_PASSWORD, TestClient, agentSocket, call, next, startTestServer, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 留言查询 (filters, 我来处理, e-mail reply with the "is replying" mark, live bar, bulk delete), deleting a conversation in 对话查询, and the 登录日志 filters and export, in real Chromium. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
const received: string[] = [];
let smtp: SMTPServer;
let colleague: TestClient;

const input = (name: string) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] textarea`).first();
const settle = () => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
const leave = (fields: Record<string, string>) => new TestClient(k.url).post('/api/widget/leave-message', { companyId: k.company.publicId, language: 'zh-CN', fields });

test.before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (d) => (raw += d.toString()));
      stream.on('end', () => {
        received.push(raw);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  const port = (smtp.server.address() as net.AddressInfo).port;
  const version = (await admin.get('/api/settings/mail')).body.version;
  await admin.put('/api/settings/mail', { version, smtp: { host: '127.0.0.1', port, security: 'none', fromAddress: 'kefu@acme.test' } });
  const created = await admin.post('/api/agents', {
    agentId: 'ann',
    name: 'Ann',
    password: 'Quiet-river-42',
    mustChangePassword: false,
    permissions: ['leavemsg.handle', 'leavemsg.viewAll'],
  });
  if (created.status !== 201) throw new Error(created.text);
  colleague = new TestClient(k.url);
  await colleague.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'ann', password: 'Quiet-river-42' });
  await leave({ name: '王小明', email: 'wang@example.com', subject: '退货', content: '我想申请退款了,请尽快联系我' });
  await leave({ name: 'Ann', mobile: '13800138000', content: 'Call me about my order please' });

  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
  await new Promise<void>((r) => smtp?.close(() => r()));
});

test.serial('LEAVEMSG-FILTER-2 LEAVEMSG-ASSIGN-7 LEAVEMSG-EMAIL-8 LEAVEMSG-LOCK-11 an agent finds a leave-message, takes it and replies by e-mail', async (t) => {
  await page.goto(k.url + '/leave-messages');
  await page.locator('[data-test="lm-tab-unreplied"]', { hasText: '未回复(2)' }).waitFor({ timeout: 10_000 });
  await input('lm-keyword').fill('退款');
  await input('lm-keyword').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="lm-content"]').length === 1, null, { timeout: 10_000 });
  t.regex(await page.locator('[data-test="lm-content"]').innerText(), /申请退款/);
  t.true(page.url().includes('keyword='), 'the filter is kept in the address');

  await page.locator('[data-test="lm-content"]').click();
  await page.locator('[data-test="lm-take"]').click();
  await page.locator('[data-test="lm-detail-handler"]', { hasText: 'admin' }).waitFor({ timeout: 10_000 });
  t.is(await page.locator('[data-test="lm-handler"]').first().innerText(), await page.locator('[data-test="lm-detail-handler"]').innerText(), 'the list follows');

  await page.locator('[data-test="lm-reply-open"]').click();
  // Opening the composer marks the admin as replying: a colleague's detail names them.
  const id = (await admin.get(`/api/leave-messages?keyword=${encodeURIComponent('退款')}`)).body.items[0].id;
  const seen = async () => (await colleague.get(`/api/leave-messages/${id}`)).body.replying;
  const deadline0 = Date.now() + 5000;
  while (!(await seen()) && Date.now() < deadline0) await new Promise((r) => setTimeout(r, 100));
  t.like(await seen(), { nickname: 'admin' }, 'a colleague sees who is replying');
  t.is(await input('lm-reply-subject').getAttribute('placeholder'), '回复:您的留言', 'the subject field is not on the form by default, so the default subject');
  await input('lm-reply-body').fill('您好,退款已经处理,请查收。');
  await settle();
  await page.screenshot({ path: screenshotPath('leave-messages-reply') });
  await page.locator('[data-test="lm-reply-send"]').click();
  await page.locator('[data-test="lm-detail-status"]', { hasText: '已回复' }).waitFor({ timeout: 10_000 });
  await page.locator('[data-test="lm-replies"]', { hasText: '您好,退款已经处理' }).waitFor({ timeout: 10_000 });
  const deadline = Date.now() + 10_000;
  while (!received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  t.is(received.length, 1, 'the mail reached the SMTP server');
  t.regex(received[0], /wang@example\.com/);
  t.is((await k.server.db('leave_messages').where({ id }).first('replying_by')).replying_by, null, 'sending clears the mark');
  await page.locator('[data-test="lm-changes"]', { hasText: '未回复 → 已回复' }).waitFor({ timeout: 10_000 });
});

test.serial('LEAVEMSG-LIVE-16 LEAVEMSG-BULK-12 LEAVEMSG-DELETE-14 a new leave-message is announced without moving the rows; selected rows are deleted after confirmation', async (t) => {
  await page.keyboard.press('Escape');
  await page.goto(k.url + '/leave-messages');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="lm-content"]').length === 2, null, { timeout: 10_000 });
  t.is((await leave({ name: 'Zoe', email: 'zoe@example.com', content: 'New one while the list is open' })).status, 201);
  await page.locator('[data-test="lm-fresh"]', { hasText: '1 条新留言' }).waitFor({ timeout: 5000 });
  t.is(await page.locator('[data-test="lm-content"]').count(), 2, 'the rows stay until asked');
  await page.locator('[data-test="lm-tab-unreplied"]', { hasText: '未回复(2)' }).waitFor({ timeout: 5000 });
  await page.locator('[data-test="lm-fresh"] button').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="lm-content"]').length === 3, null, { timeout: 10_000 });

  await page.locator('[data-test="lm-table"] tbody tr').nth(0).locator('.el-checkbox').click();
  await page.locator('[data-test="lm-table"] tbody tr').nth(1).locator('.el-checkbox').click();
  await page.locator('[data-test="lm-bulk"]', { hasText: '已选 2 条' }).waitFor();
  await settle();
  await page.screenshot({ path: screenshotPath('leave-messages-bulk') });
  await page.locator('[data-test="lm-bulk-delete"]').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="lm-content"]').length === 1, null, { timeout: 10_000 });
  t.is((await admin.get('/api/leave-messages')).body.total, 1);
  t.deepEqual(pageErrors, []);
});

test.serial('HISTORY-DELETE-12 an ended conversation is deleted from its transcript after a confirmation and leaves the list', async (t) => {
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const connected = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const conversationId = (await call(v.socket, 'chat.request', {})).conversation.id;
  await connected;
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '这段对话要删除' });
  await call(v.socket, 'chat.end', { conversationId });
  v.socket.disconnect();
  agent.disconnect();

  await page.goto(k.url + '/history');
  await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 10_000 });
  await page.locator('[data-test="history-table"] tbody tr').first().click();
  await page.locator('[data-test="history-delete"]').click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator('[data-test="history-total"]', { hasText: '共 0 条' }).waitFor({ timeout: 10_000 });
  t.is((await admin.get(`/api/history/conversations/${conversationId}`)).status, 404);
});

test.serial('LOGINLOG-LIST-5 LOGINLOG-EXPORT-8 the login log filters by IP range and exports what it shows', async (t) => {
  await new TestClient(k.url, { 'x-forwarded-for': '203.0.113.50' }).post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'ann', password: 'nope-Wrong-1' });
  await page.goto(k.url + '/login-log');
  await page.locator('[data-test="login-log-table"] tbody tr').first().waitFor({ timeout: 10_000 });
  await input('login-log-ip').fill('203.0.113.0/24');
  await input('login-log-ip').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-test="login-log-table"] tbody tr').length === 1, null, { timeout: 10_000 });
  t.regex(await page.locator('[data-test="login-log-table"] tbody tr').innerText(), /203\.0\.113\.50/);
  await settle();
  await page.screenshot({ path: screenshotPath('login-log-filters') });
  const download = page.waitForEvent('download');
  await page.locator('[data-test="login-log-export"]').click();
  await page.locator('.el-dropdown-menu__item', { hasText: 'CSV' }).click();
  const file = await download;
  const text = fs.readFileSync((await file.path())!, 'utf8');
  t.is(text.trim().split(/\r?\n/).length, 2, 'the header and the one entry shown');
  t.regex(text, /203\.0\.113\.50/);
  t.deepEqual(pageErrors, []);
});
