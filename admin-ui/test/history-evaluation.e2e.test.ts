import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, agentSocket, call, next, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 对话详情中评估, 二次评估 and saved searches on the 对话查询 screen, in real Chromium against a started server. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
let conversationId: number;

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  // One ended conversation served by the admin, rated 非常满意 by its visitor.
  const agent = await agentSocket(k.url, admin);
  const v = await visitorSocket(k.url, k.company.publicId);
  const connected = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const req = await call(v.socket, 'chat.request', {});
  conversationId = req.conversation.id;
  await connected;
  await call(v.socket, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '包裹一直没到' });
  await call(agent, 'message.send', { conversationId, clientId: crypto.randomUUID(), text: '我帮您查一下物流' });
  const rated = await call(v.socket, 'rating.submit', { conversationId, clientId: crypto.randomUUID(), score: 5 });
  if (!rated.ok) throw new Error(JSON.stringify(rated));
  await call(v.socket, 'chat.end', { conversationId });
  v.socket.disconnect();
  agent.disconnect();
  const r = await admin.post('/api/agents', {
    agentId: 'auditor',
    name: 'Auditor',
    password: 'Quiet-river-42',
    mustChangePassword: false,
    permissions: ['history.viewAll', 'history.evaluate'],
  });
  if (r.status !== 201) throw new Error(r.text);

  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

test.serial(
  'EVAL-HISTORY-4 HISTORY-EVALUATE-8 EVAL-SHOW-10 the details evaluate with the list topics, valuable flag and summary; a colleague’s change shows at once with the 修改记录; the rating shows as stored',
  async (t) => {
    await page.goto(`${k.url}/history`);
    await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-test="history-table"] .el-table__row').first().click();
    const drawer = page.locator('[data-test="history-drawer"]');
    const form = drawer.locator('[data-test="eval-form"]');
    await form.locator('[data-test="eval-save"]').waitFor({ timeout: 10_000 });
    t.is((await drawer.locator('[data-test="history-rating"]').innerText()).trim(), '非常满意', "the visitor's rating by name");
    t.true(await form.getByText('尚未评估').isVisible(), 'no change history yet');

    await form.locator('[data-test="eval-topic"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '售后服务' }).click();
    await form.locator('[data-test="eval-valuable"]').click();
    await form.locator('textarea[data-test="eval-note"], [data-test="eval-note"] textarea').first().fill('包裹丢失,已补发');
    // Ctrl+Enter saves (EVAL-TOOLBAR-3's keyboard rule holds for the shared form).
    await form.locator('textarea[data-test="eval-note"], [data-test="eval-note"] textarea').first().press('Control+Enter');
    await page.locator('.el-message--success').first().waitFor({ timeout: 10_000 });
    await form.locator('[data-test="eval-change"]').first().waitFor({ timeout: 10_000 });
    t.regex(await form.locator('[data-test="eval-change"]').first().innerText(), /对话主题: 售后服务/);
    // The list follows: the row now shows the valuable star.
    await page.locator('[data-test="history-table"] .el-table__row', { hasText: '☆' }).waitFor({ timeout: 10_000 });
    t.like((await admin.get(`/api/conversations/${conversationId}/evaluation`)).body.evaluation, {
      topic: '售后服务',
      valid: true,
      valuable: true,
      note: '包裹丢失,已补发',
      version: 1,
    });

    // A colleague with history.evaluate changes it: the open form reloads by itself within a second or two.
    const auditor = k.client();
    t.is((await auditor.post('/api/auth/login', { companyId: String(k.company.publicId), agentId: 'auditor', password: 'Quiet-river-42' })).status, 200);
    const changed = await auditor.put(`/api/conversations/${conversationId}/evaluation`, { topic: '投诉建议', valid: false, valuable: true, note: '改判投诉', version: 1 });
    t.is(changed.status, 200, changed.text);
    await form.locator('[data-test="eval-change"]').nth(1).waitFor({ timeout: 5000 });
    t.regex(await form.locator('[data-test="eval-change"]').first().innerText(), /Auditor[\s\S]*对话主题: 售后服务 → 投诉建议[\s\S]*有效性: 有效 → 无效/);
    t.is(await form.locator('textarea[data-test="eval-note"], [data-test="eval-note"] textarea').first().inputValue(), '改判投诉');
    await page.locator('[data-test="history-table"] .el-table__row', { hasText: '投诉建议' }).waitFor({ timeout: 5000 });
    await page.screenshot({ path: screenshotPath('history-evaluation') });
    await page.keyboard.press('Escape');
    t.deepEqual(pageErrors, []);
  },
);

test.serial('HISTORY-SAVED-15 a search saved and shared by an admin runs again from the menu; the search just run is listed as recent', async (t) => {
  await page.goto(`${k.url}/history?rating=5&evaluation=valuable`);
  await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-test="saved-searches"]').click();
  await page.locator('[data-test="recent-item"]', { hasText: 'rating=5' }).first().waitFor({ timeout: 10_000 });
  await page.locator('[data-test="saved-new"]').click();
  const dialog = page.locator('[data-test="saved-dialog"]');
  await dialog.locator('input[data-test="saved-name"], [data-test="saved-name"] input').first().fill('好评且有价值');
  await dialog.locator('[data-test="saved-share"]').click();
  await dialog.locator('[data-test="saved-save"]').click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  const saved = (await admin.get('/api/history/searches')).body.saved;
  t.like(saved[0], { name: '好评且有价值', shared: true, filters: { rating: '5', evaluation: 'valuable' } });

  await page.goto(`${k.url}/history?status=ongoing`);
  await page.locator('[data-test="history-total"]', { hasText: '共 0 条' }).waitFor({ timeout: 15_000 });
  await page.locator('[data-test="saved-searches"]').click();
  await page.locator('[data-test="saved-item"]', { hasText: '好评且有价值' }).click();
  await page.locator('[data-test="history-total"]', { hasText: '共 1 条' }).waitFor({ timeout: 15_000 });
  const url = new URL(page.url());
  t.is(url.searchParams.get('rating'), '5');
  t.is(url.searchParams.get('evaluation'), 'valuable');
  t.is(url.searchParams.get('status'), null, 'the saved search replaces the conditions');
  t.deepEqual(pageErrors, []);
});

test.serial('EVAL-LIVE-2 EVAL-TOOLBAR-3 the side panel evaluates the running chat, which then never waits for evaluation; the toolbar dialog shows the same form beside the transcript', async (t) => {
  await page.goto(`${k.url}/`);
  await page.locator('[data-test="wb-waiting"]').waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  const v = await visitorSocket(k.url, k.company.publicId);
  const requested = await call(v.socket, 'chat.request', {});
  const id = requested.conversation.id as number;
  await call(v.socket, 'message.send', { conversationId: id, clientId: crypto.randomUUID(), text: '想问下发票' });
  await page.locator('[data-test="tab-conversations"]').click();
  await page.locator('[data-test="conv-mine"]').first().click({ timeout: 15_000 });
  const section = page.locator('[data-test="live-eval"]');
  await section.locator('.el-collapse-item__header').click();
  const form = section.locator('[data-test="eval-form"]');
  await form.locator('[data-test="eval-topic"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '售前咨询' }).click();
  await form.locator('[data-test="eval-save"]').click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  t.like((await admin.get(`/api/conversations/${id}/evaluation`)).body, { conversation: { status: 'active' }, evaluation: { topic: '售前咨询', version: 1 } });

  t.true((await call(v.socket, 'chat.end', { conversationId: id })).ok);
  v.socket.disconnect();
  const awaiting = (await admin.get('/api/conversations/awaiting-evaluation')).body.items.map((c: { id: number }) => c.id);
  t.false(awaiting.includes(id), 'evaluated while it ran: not in 等待评估');
  // Still editable after the end, from the same section.
  await form.locator('[data-test="eval-valuable"]').click();
  await form.locator('[data-test="eval-save"]').click();
  await page.waitForFunction(async (cid) => (await (await fetch(`/api/conversations/${cid}/evaluation`)).json()).evaluation.version === 2, id, { timeout: 10_000 });
  // EVAL-TOOLBAR-3: the 对话评估 button opens the same form as a dialog, the transcript beside it; Esc closes it.
  await page.locator('[data-test="chat-evaluate"]').click();
  const dialog = page.locator('[data-test="eval-dialog"]');
  await dialog.locator('[data-test="eval-transcript"]', { hasText: '想问下发票' }).waitFor({ timeout: 10_000 });
  await dialog.locator('[data-test="eval-save"]').waitFor();
  t.true(await dialog.locator('[data-test="eval-valuable"] input').isChecked(), 'the dialog shows the stored values');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  t.deepEqual(pageErrors, []);
});
