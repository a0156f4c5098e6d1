import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, agentSocket, call, startTestServer, visitorSocket, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** 退出 with conversations left behind (MENU-EXIT-6): the dialog, 取消, 去评估 and 仍然退出. */
let k: TestKefu;
let browser: Browser;
const pageErrors: string[] = [];

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  // Chats are accepted by hand below, so the test decides which session serves them.
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

/** A chat the admin serves: accepted from a console socket of another admin session. */
async function servedByAdmin(agent: Awaited<ReturnType<typeof agentSocket>>) {
  const v = await visitorSocket(k.url, k.company.publicId);
  const req = await call(v.socket, 'chat.request', {});
  const acc = await call(agent, 'conversation.accept', { conversationId: req.conversation.id });
  if (!acc.ok) throw new Error(JSON.stringify(acc));
  return { v, id: req.conversation.id as number };
}

const openExit = async (page: Page) => {
  await page.locator('[data-test="user-menu"]').click();
  await page.locator('[data-test="logout"]').click();
  await page.locator('[data-test="exit-dialog"]').waitFor({ timeout: 10_000 });
};

test.serial('MENU-EXIT-6 退出 with an ongoing and an unevaluated conversation asks first: 取消 stays, 去评估 opens the evaluation, 仍然退出 signs out', async (t) => {
  const api = await k.login();
  const agent = await agentSocket(k.url, api);
  // One chat ended after the visitor wrote (it enters 等待评估, EVAL-PENDING-6) and one still going.
  const done = await servedByAdmin(agent);
  await call(done.v.socket, 'message.send', { conversationId: done.id, clientId: crypto.randomUUID(), text: 'thanks' });
  await call(done.v.socket, 'chat.end', { conversationId: done.id });
  const ongoing = await servedByAdmin(agent);

  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });

  await openExit(page);
  const dialog = page.locator('[data-test="exit-dialog"]');
  t.regex(await dialog.locator('[data-test="exit-ongoing"]').innerText(), /正在进行的对话:1 个/);
  t.regex(await dialog.locator('[data-test="exit-unevaluated"]').innerText(), /未进行评估的对话:1 个/);
  await page.screenshot({ path: screenshotPath('exit-dialog') });
  await dialog.locator('[data-test="exit-cancel"]').click();
  await dialog.waitFor({ state: 'hidden' });
  t.regex(page.url(), /\/workbench/, '取消 keeps the agent signed in');
  t.is((await api.get('/api/auth/me')).status, 200);

  await openExit(page);
  await dialog.locator('[data-test="exit-evaluate"]').click();
  const evaluation = page.locator('[data-test="eval-dialog"]');
  await evaluation.waitFor({ timeout: 10_000 });
  t.true(await evaluation.isVisible(), '去评估 opens the evaluation of the unevaluated conversation');
  await page.keyboard.press('Escape');
  await evaluation.waitFor({ state: 'hidden' });

  await openExit(page);
  await dialog.locator('[data-test="exit-confirm"]').click();
  await page.waitForURL(/\/login/, { timeout: 10_000 });
  t.regex(page.url(), /\/login/, '仍然退出 returns to the login page');
  const still = await k.server.db('conversations').where({ id: ongoing.id }).first('status');
  t.is(still.status, 'active', 'another console of the agent is still present, so the chat stays with them');
  t.deepEqual(pageErrors, []);
  agent.close();
  for (const v of [done.v, ongoing.v]) v.socket.close();
});

test.serial('TOOLBAR-FORCE-16 an admin sets a colleague to 离开 from the agent chat drawer: the colleague’s console shows that and the admin’s note', async (t) => {
  const admin = await k.login();
  const created = await admin.post('/api/agents', { agentId: 'gus', name: 'Gus', password: 'Quiet-river-42', mustChangePassword: false });
  t.is(created.status, 201, created.text);
  const newPage = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  };
  const gus = await newPage();
  await signInWith(gus, k.url, { companyId: k.company.publicId, agentId: 'gus', password: 'Quiet-river-42' });
  const boss = await newPage();
  await signInWith(boss, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });

  await boss.locator('[data-test="internal-open"]').click();
  await boss.locator('[data-test="internal-colleague"]', { hasText: 'Gus' }).click();
  await boss.locator('[data-test="internal-set-away"]').click();
  const prompt = boss.locator('.el-message-box');
  await prompt.waitFor();
  t.regex(await prompt.innerText(), /将 Gus 设为离开/);
  await prompt.locator('input').fill('请先处理留言');
  await prompt.locator('.el-button--primary').click();
  await boss.locator('.el-message--success', { hasText: '已将 Gus 设为离开' }).waitFor({ timeout: 5000 });
  // The roster follows the colleague's new status: no second 设为离开 once they are away.
  await boss.locator('[data-test="internal-set-away"]').waitFor({ state: 'detached', timeout: 5000 });

  const notice = gus.locator('.wb-forced-away');
  await notice.waitFor({ timeout: 5000 });
  t.regex(await notice.innerText(), /管理员已将您的状态设为离开/);
  t.regex(await notice.innerText(), /请先处理留言/);
  await gus.screenshot({ path: screenshotPath('forced-away-notice') });
  t.deepEqual(pageErrors, []);
});
