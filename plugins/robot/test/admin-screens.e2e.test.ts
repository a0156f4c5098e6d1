// The robot's console screens in real Chromium (Debian's, through playwright-core) against a started server:
// categories, import with its rejection report, unmatched questions → a new entry, statistics, the workbench
// knowledge tab in a real chat and 加入知识库 from a chat message. The console is built first when its sources
// changed (scripts/build-ui.mjs).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import path from 'node:path';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, repoRoot } from '@kefu/core/testing';
import { launchBrowser, screenshotPath } from '../../../admin-ui/test/browser.ts';
import { call, clearEntries, loadKb, next, robotSays, setAutoAssign, setup, visitorSocket, type Setup } from './helpers.ts';

let s: Setup;
let browser: Browser;
let page: Page;
let ids: Map<number, number>;
const pageErrors: string[] = [];

test.before(async (t) => {
  // A cold build of the console takes minutes on a busy machine; later runs reuse it.
  t.timeout(10 * 60_000);
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/build-ui.mjs')]);
  [s, browser] = await Promise.all([setup(), launchBrowser()]);
  await clearEntries(s.admin);
  ids = await loadKb(s.admin);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(s.k.url + '/');
  await field('login-company').fill(String(s.k.company.publicId));
  await field('login-agent').fill('admin');
  await field('login-password').fill(ADMIN_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="workbench"]').waitFor({ timeout: 15_000 });
});
test.after.always(async () => {
  await browser?.close();
  await s?.k.close();
});
test.afterEach(async (t) => {
  t.deepEqual(pageErrors, [], 'no errors in the page');
});

const field = (name: string) =>
  page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();
const el = (name: string) => page.locator(`[data-test="${name}"]`);

test.serial('ROBOT-CATEGORY-3 categories screen: add a category; deleting one with entries asks where they go', async (t) => {
  await page.goto(s.k.url + '/plugins/robot/categories');
  await el('robot-categories').waitFor();
  await el('robot-category-add').click();
  await field('robot-category-name').fill('售后服务');
  await el('robot-category-save').click();
  await el('robot-category-售后服务').waitFor();
  const cats = (await s.admin.get('/api/p/robot/categories')).body.categories;
  const after = cats.find((c: any) => c.name === '售后服务');
  const target = cats.find((c: any) => c.name === '配送');
  await s.admin.post('/api/p/robot/entries', { question: '发票可以邮寄纸质版吗', answer: '可以', categoryId: after.id });

  await el('robot-category-delete-售后服务').click();
  await el('robot-category-move-to').click();
  await page.locator('.el-select-dropdown__item', { hasText: '配送' }).first().click();
  await page.screenshot({ path: screenshotPath('robot-categories-move') });
  await el('robot-category-move-delete').click();
  await el('robot-category-售后服务').waitFor({ state: 'detached' });
  const moved = (await s.admin.get('/api/p/robot/entries?q=' + encodeURIComponent('纸质版'))).body.entries[0];
  t.is(moved.categoryId, target.id, 'its entry moved to the chosen category');
});

test.serial('ROBOT-IO-20 import screen: good rows stored, every rejected row listed with its reason', async (t) => {
  await page.goto(s.k.url + '/plugins/robot/import');
  await el('robot-import').waitFor();
  t.regex(await el('robot-import').innerText(), /每行一个或用 \| 分隔/, 'the column hint is shown whole');
  const csv = '分类,问题,其他问法,答案,相关词,语言,启用\n新品,新品什么时候上架,,每周五上新,,all,是\n,没有答案的问题,,,,all,是\n,怎么申请退款,,重复,,all,是\n';
  await el('robot-import-file').setInputFiles({ name: 'kb.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await el('robot-import-run').click();
  await el('robot-import-result').waitFor();
  const summary = await el('robot-import-result').innerText();
  t.regex(summary, /新增 1 条.*跳过 1 条.*拒绝 1 条/s);
  t.regex(await el('robot-import-rejected').innerText(), /3\s+缺少答案/);
  await page.screenshot({ path: screenshotPath('robot-import-report') });
  t.is((await s.admin.post('/api/p/robot/ask', { text: '新品什么时候上架' })).body.type, 'answer');
});

test.serial('ROBOT-UNMATCHED-21 ROBOT-STATS-22 unmatched question → 新建知识 prefilled → it answers; statistics with the daily chart', async (t) => {
  // The admin is online in the browser: without automatic assignment the robot takes the visitor first.
  await setAutoAssign(s.k, false);
  await s.admin.put('/api/p/robot/settings', { mode: 'first' });
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  t.teardown(() => v.socket.close());
  const welcome = robotSays(v.socket);
  const conv = (await call(v.socket, 'chat.request', {})).conversation;
  await welcome;
  // No entry answers it: the robot lists related questions or falls back, and records it either way.
  const reply = robotSays(v.socket);
  await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: '可以用数字人民币付款吗' });
  t.not((await reply).kind, 'text', 'not answered directly');

  await page.goto(s.k.url + '/plugins/robot/unmatched');
  await el('robot-unmatched-table').getByText('可以用数字人民币付款吗').waitFor();
  await page.screenshot({ path: screenshotPath('robot-unmatched') });
  const row = (await s.admin.get('/api/p/robot/unmatched')).body.unmatched[0];
  await el(`robot-unmatched-create-${row.id}`).click();
  t.is(await field('robot-question').inputValue(), '可以用数字人民币付款吗', 'the editor opens with the question');
  await page.locator('.el-dialog textarea').nth(1).fill('暂不支持数字人民币。');
  await el('robot-save').click();
  // A similar entry (支持哪些支付方式) may be offered first: this is new knowledge, so add anyway.
  await Promise.race([page.getByRole('button', { name: '继续添加' }).click(), page.locator('.el-message--success').waitFor()]);
  await page.locator('.el-message--success').first().waitFor();
  t.is((await s.admin.post('/api/p/robot/ask', { text: '可以用数字人民币付款吗' })).body.entry?.question, '可以用数字人民币付款吗');
  t.deepEqual((await s.admin.get('/api/p/robot/unmatched')).body.unmatched, [], 'answered, so off the list');

  await page.goto(s.k.url + '/plugins/robot/stats');
  await el('robot-stats-totals').waitFor();
  t.regex(await el('robot-stats-totals').innerText(), /1\s+机器人接待/);
  await el('robot-daily-chart').locator('canvas').waitFor();
  await page.screenshot({ path: screenshotPath('robot-stats') });
});

test.serial(
  'ROBOT-PANEL-17 WORKBENCH-KB-6 WORKBENCH-EXTEND-2 in a real chat the 知识库 tab inserts and sends answers; 加入知识库 from a visitor message prefills the editor',
  async (t) => {
    // The agent chats in person: the robot stays out and the conversation is assigned to the admin.
    await setAutoAssign(s.k, true);
    await s.admin.put('/api/p/robot/settings', { mode: 'off' });
    const v = await visitorSocket(s.k.url, s.k.company.publicId);
    t.teardown(() => v.socket.close());
    const conv = (await call(v.socket, 'chat.request', {})).conversation;
    const question = '我申请的退款多久能到啊';
    const answer = '审核通过后 1–3 个工作日原路退回，银行卡可能需要 5–7 天。Refunds reach the original payment method 1–3 business days after approval.';
    await call(v.socket, 'message.send', { conversationId: conv.id, clientId: crypto.randomUUID(), text: question });

    await page.goto(s.k.url + '/');
    await el('tab-conversations').click();
    await page
      .locator('[data-test="conv-mine"]', { hasText: `${v.visitorNumber}` })
      .first()
      .click();
    await page.locator('[data-test="message-text"]', { hasText: question }).waitFor({ timeout: 10_000 });
    await el('plugin-tab-robot:kb').click();
    await field('robot-kb-search').fill('退款多久能到');
    const first = el('robot-kb-results').locator('li').first();
    await first.waitFor();
    t.regex(await first.innerText(), /退款多久到账/);

    // 插入 puts the answer into the message input to be edited; the agent sends it with Enter.
    const input = page.locator('textarea[data-test="composer-input"], [data-test="composer-input"] textarea').first();
    await el(`robot-kb-insert-${ids.get(15)}`).click();
    t.is(await input.inputValue(), answer);
    await input.press('End');
    await input.pressSequentially(' 请耐心等待');
    const edited = next<any>(v.socket, 'message', (m) => m.message.senderKind === 'agent', 10_000);
    await input.press('Enter');
    t.is((await edited).message.text, `${answer} 请耐心等待`);

    // 发送 sends the answer at once; a double-click only inserts.
    const sent = next<any>(v.socket, 'message', (m) => m.message.senderKind === 'agent', 10_000);
    await el(`robot-kb-send-${ids.get(15)}`).click();
    t.is((await sent).message.text, answer);
    t.is(await input.inputValue(), '', 'sending did not touch the input');
    await el(`robot-kb-result-${ids.get(15)}`).dblclick();
    t.is(await input.inputValue(), answer);
    await input.fill('');
    await page.screenshot({ path: screenshotPath('robot-kb-tab') });

    // 加入知识库 on the visitor's question: the editor opens with it and the agent's reply as the answer.
    t.is(
      await page.locator('[data-test="message"]', { hasText: '1–3 个工作日' }).locator('[data-test="message-menu"]').count(),
      0,
      'not on the agent’s replies',
    );
    const visitorMessage = page.locator('[data-test="message"]', { hasText: question });
    await visitorMessage.locator('[data-test="message-menu"] button').click();
    await el('message-action-robot:add-to-kb').click();
    await page.waitForURL(/\/plugins\/robot\/entries/);
    t.is(await field('robot-question').inputValue(), question);
    t.is(await page.locator('.el-dialog textarea').nth(1).inputValue(), `${answer} 请耐心等待`, 'the reply right after it');
    await page.screenshot({ path: screenshotPath('robot-add-to-kb') });
    await page.getByRole('button', { name: '取消' }).click();
  },
);
