import test from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, call, visitorSocket, type TestClient } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** The workbench side panel (SPEC WORKBENCH-PANEL-1), 访客信息 and its editing (WORKBENCH-VISITOR-8 to -10) and core's visitor profile (HISTORY-VISITOR-7). */
const s = serverAndBrowser();
const PASSWORD = 'Quiet-river-42';
const ids: Record<string, number> = {};

/** ann and bob, made once the server is up (before hooks run together). */
let made: Promise<void> | null = null;
const agentsMade = () =>
  (made ??= (async () => {
    for (const name of ['ann', 'bob']) {
      const r = await s.admin.post('/api/agents', { agentId: name, name, password: PASSWORD, mustChangePassword: false });
      if (r.status !== 201) throw new Error(r.text);
      ids[name] = r.body.id;
    }
  })());

async function open(agentId = 'admin', password = ADMIN_PASSWORD): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await s.browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId, password });
  await page.waitForFunction(() => !document.querySelector('.wb-body > .el-loading-mask'), undefined, { timeout: 15_000 });
  return { context, page, errors };
}

/** A visitor on a page, with the internal id the API takes. */
async function browsing(title = 'Pricing') {
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  const view = await call(v.socket, 'page.view', { url: 'https://shop.example.com/pricing', title });
  if (!view.ok) throw new Error(JSON.stringify(view));
  const row = await s.k.server.db('visitors').where({ company_id: s.k.company.id, number: v.visitorNumber }).first('id');
  return { ...v, visitorId: Number(row.id) };
}

async function selectVisitor(page: Page, n: number) {
  await page.locator('[data-test="tab-visitors"]').click();
  await page.locator('[data-test="visitor-row"]', { hasText: `#${n}` }).click({ timeout: 15_000 });
}

/** The side panel's tab keys as shown, in order. */
const tabKeys = (page: Page) =>
  page
    .locator('[data-test="side-panel"] .el-tabs__item [data-test]')
    .evaluateAll((els) => els.map((e) => (e.getAttribute('data-test') ?? '').replace(/^(side|plugin)-tab-/, '')));
const activeTab = (page: Page) => page.locator('[data-test="side-panel"] .el-tabs__item.is-active [data-test]').getAttribute('data-test');

test.serial(
  'WORKBENCH-PANEL-1 tabs in the default order, only the tool tabs with nothing selected, a plugin tab vanishing live, and the personal order, hidden tabs, width and open tab remembered',
  async (t) => {
    const { context, page, errors } = await open();
    const v = await browsing();
    t.teardown(() => v.socket.close());

    // Nothing selected: 常用语, 常用链接 and 常用文件 only.
    await page.locator('[data-test="side-tab-canned"]').waitFor();
    t.deepEqual(await tabKeys(page), ['canned', 'links', 'files']);

    await selectVisitor(page, v.visitorNumber);
    await page.locator('[data-test="side-tab-visitor"]').waitFor();
    t.deepEqual(await tabKeys(page), ['visitor', 'trail', 'history', 'canned', 'links', 'files']);
    t.is(await activeTab(page), 'side-tab-visitor');

    // A plugin's tab comes and goes with the plugin, live; its open tab falls back to 访客信息.
    t.is((await s.admin.post('/api/plugins/robot/enable', {})).status, 200);
    await page.locator('[data-test="plugin-tab-robot:kb"]').click({ timeout: 10_000 });
    t.deepEqual(await tabKeys(page), ['visitor', 'trail', 'history', 'canned', 'links', 'files', 'robot:kb']);
    t.is((await s.admin.post('/api/plugins/robot/disable')).status, 200);
    await page.locator('[data-test="plugin-tab-robot:kb"]').waitFor({ state: 'detached', timeout: 5000 });
    t.is(await activeTab(page), 'side-tab-visitor');
    await page.locator('[data-test="visitor-info"]').waitFor();

    // 调整标签: hide 轨迹, move 常用语 up to the front; open 历史对话; widen the panel by dragging its edge.
    await page.locator('[data-test="panel-tab-settings"]').click();
    await page.locator('[data-test="panel-tab-item-trail"] [data-test="panel-tab-shown"]').click();
    await page.locator('[data-test="side-tab-trail"]').waitFor({ state: 'detached' });
    for (let i = 0; i < 3; i++) await page.locator('[data-test="panel-tab-item-canned"] [data-test="panel-tab-up"]').click();
    // A click outside closes the pop-over.
    await page.locator('[data-test="side-tab-history"]').click();
    const panel = page.locator('[data-test="side-panel"]');
    const before = (await panel.boundingBox())!;
    const edge = (await page.locator('[data-test="panel-resize"]').boundingBox())!;
    await page.mouse.move(edge.x + 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x - 118, edge.y + edge.height / 2, { steps: 5 });
    await page.mouse.up();
    const widened = (await panel.boundingBox())!.width;
    t.true(Math.abs(widened - before.width - 120) <= 2, `${before.width} → ${widened}`);
    const expected = ['canned', 'visitor', 'history', 'links', 'files'];
    t.deepEqual(await tabKeys(page), expected);

    // Stored with the agent: another browser shows the same panel.
    await t.notThrowsAsync(async () => {
      for (let i = 0; i < 50; i++) {
        const p = (await s.admin.get('/api/preferences')).body.preferences.panel;
        if (p.open === 'history' && p.width === before.width + 120) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the panel preferences were not saved');
    });
    const again = await open();
    t.deepEqual(await tabKeys(again.page), ['canned', 'links', 'files'], 'nothing selected yet');
    await selectVisitor(again.page, v.visitorNumber);
    await again.page.locator('[data-test="side-tab-visitor"]').waitFor();
    t.deepEqual(await tabKeys(again.page), expected);
    t.is(await activeTab(again.page), 'side-tab-history');
    t.is(Math.round((await again.page.locator('[data-test="side-panel"]').boundingBox())!.width), Math.round(widened));
    await again.page.screenshot({ path: screenshotPath('side-panel-arranged') });
    t.deepEqual([...errors, ...again.errors], []);

    // Back to the defaults for the next tests.
    await s.admin.patch('/api/preferences', { panel: { order: [], hidden: [], width: null, open: 'visitor' } });
    await again.context.close();
    await context.close();
  },
);

test.serial(
  'WORKBENCH-VISITOR-8 WORKBENCH-VISITOREDIT-9 WORKBENCH-CONTACT-10 the agent who served the visitor edits it, every console shows 客服填写 with author and time within 1 s, the change history keeps old and new values, and e-mail gets mailto and copy',
  async (t) => {
    await agentsMade();
    const v = await browsing('Checkout');
    t.teardown(() => v.socket.close());
    const db = s.k.server.db;
    await db('visitors')
      .where({ id: v.visitorId })
      .update({ name: 'Li Lei', attributes: JSON.stringify({ prechat: { name: 'Li Lei', qq: '778899' }, prechatAt: new Date().toISOString() }) });
    await db('conversations').insert({ company_id: s.k.company.id, visitor_id: v.visitorId, status: 'ended', agent_id: ids.ann, ended_at: new Date() });

    const ann = await open('ann', PASSWORD);
    const admin = await open();
    const bob = await open('bob', PASSWORD);
    t.teardown(() => Promise.all([ann, admin, bob].map((x) => x.context.close())));
    for (const x of [ann, admin, bob]) {
      await selectVisitor(x.page, v.visitorNumber);
      await x.page.locator('[data-test="visitor-value-name"]', { hasText: 'Li Lei' }).waitFor({ timeout: 10_000 });
    }
    const info = admin.page.locator('[data-test="visitor-info"]');
    t.regex(await info.locator('[data-test="visitor-value-name"] [data-test="visitor-value-source"]').innerText(), /^表单 · /);
    t.regex(await info.locator('[data-test="visitor-value-qq"]').innerText(), /778899/);
    t.regex(await info.innerText(), /Checkout/, 'where the visitor is now');
    t.is(await bob.page.locator('[data-test="visitor-edit"]').count(), 0, 'bob never served this visitor');

    await ann.page.locator('[data-test="visitor-edit"]').click();
    const input = (name: string) => ann.page.locator(`input[data-test="visitor-edit-${name}"], textarea[data-test="visitor-edit-${name}"]`);
    await input('email').fill('not an address');
    await ann.page.locator('[data-test="visitor-edit-save"]').click();
    await ann.page.locator('[data-test="visitor-editor"] .el-form-item__error').first().waitFor();
    await input('mobile').fill('138 0013 8000');
    await input('email').fill('li.lei+vip@example.com');
    await input('note').fill('Wants a call after 6 pm');
    const sent = Date.now();
    await ann.page.locator('[data-test="visitor-edit-save"]').click();
    const note = admin.page.locator('[data-test="visitor-value-note"]', { hasText: 'Wants a call after 6 pm' });
    await note.waitFor({ timeout: 5000 });
    const took = Date.now() - sent;
    t.log(`the edit reached another console after ${took} ms`);
    t.true(took < 1000, `${took} ms`);
    t.regex(await note.locator('[data-test="visitor-value-source"]').innerText(), /^客服填写 · ann · /);
    t.regex(await info.locator('[data-test="visitor-value-mobile"]').innerText(), /13800138000/);

    // WORKBENCH-CONTACT-10: 发送邮件 through the agent's own mail program, 复制; no SMS or call icon without their plugins.
    const mail = info.locator('[data-test="visitor-value-email"]');
    t.is(await mail.locator('[data-test="contact-mailto"]').getAttribute('href'), 'mailto:li.lei%2Bvip%40example.com');
    t.is(await mail.locator('[data-test="contact-copy"]').count(), 1);
    t.is(await info.locator('[data-test="contact-actions-mobile"] button, [data-test="contact-actions-mobile"] a').count(), 0);

    // 修改记录 with old and new values.
    await bob.page.locator('[data-test="visitor-value-note"]').waitFor();
    await bob.page.locator('[data-test="visitor-changes-toggle"]').click();
    const changes = bob.page.locator('[data-test="visitor-change"]');
    await changes.first().waitFor();
    const lines = await changes.allInnerTexts();
    t.is(lines.length, 3);
    t.true(lines.some((l) => /手机.\(空\) → 13800138000/.test(l) && /ann/.test(l)), lines.join('\n'));
    await admin.page.screenshot({ path: screenshotPath('visitor-info-edited') });
    t.deepEqual([...ann.errors, ...admin.errors, ...bob.errors], []);
  },
);

test.serial('HISTORY-VISITOR-7 LEAVEMSG-VISITOR-15 the visitor’s name in history and in leave-messages opens core’s visitor profile with its conversations and leave-messages', async (t) => {
  const v = await browsing();
  const conversation = (await call(v.socket, 'chat.request', {})).conversation;
  t.true((await call(v.socket, 'message.send', { conversationId: conversation.id, clientId: crypto.randomUUID(), text: 'Where is my parcel?' })).ok);
  t.true((await call(v.socket, 'chat.end', { conversationId: conversation.id })).ok);
  await s.k.server.db('visitors').where({ id: v.visitorId }).update({ name: 'Zhang San' });
  await s.k.server
    .db('leave_messages')
    .insert({ company_id: s.k.company.id, visitor_id: v.visitorId, name: 'Zhang San', content: 'Please ring me back', fields: JSON.stringify({ subject: 'Parcel' }) });
  v.socket.close();

  const { context, page, errors } = await open();
  t.teardown(() => context.close());
  const profile = page.locator('[data-test="visitor-profile"]');
  const check = async () => {
    await profile.locator('[data-test="visitor-value-name"]', { hasText: 'Zhang San' }).waitFor({ timeout: 10_000 });
    t.regex(await profile.locator('[data-test="visitor-profile-conversations"]').innerText(), /Where is my parcel\?/);
    t.regex(await profile.locator('[data-test="visitor-profile-leave-messages"]').innerText(), /Parcel: Please ring me back/);
  };

  await page.goto(s.k.url + '/history');
  await page.locator('[data-test="visitor-name-link"]', { hasText: 'Zhang San' }).first().click({ timeout: 15_000 });
  await check();
  await page.screenshot({ path: screenshotPath('visitor-profile') });
  await page.keyboard.press('Escape');
  await profile.waitFor({ state: 'detached' });

  await page.goto(s.k.url + '/leave-messages');
  await page.locator('[data-test="visitor-name-link"]', { hasText: 'Zhang San' }).first().click({ timeout: 15_000 });
  await check();
  t.deepEqual(errors, []);
});

test.serial('LEAVEMSG-CHAT-10 the leave-message detail offers 邀请访客 and 主动对话 while its visitor is on the site, and shows the chat it started', async (t) => {
  const v = await browsing();
  t.teardown(() => v.socket.close());
  await s.k.server.db('leave_messages').insert({ company_id: s.k.company.id, visitor_id: v.visitorId, name: 'Wang Wu', content: 'Call me about the blue sofa' });

  const { context, page, errors } = await open();
  t.teardown(() => context.close());
  await page.goto(s.k.url + '/leave-messages');
  await page.getByText('Call me about the blue sofa').click({ timeout: 15_000 });
  const outreach = page.locator('[data-test="lm-outreach"]');
  await outreach.locator('[data-test="lm-outreach-invite"]').waitFor({ timeout: 10_000 });
  t.regex(await outreach.innerText(), /访客当前在网站上/);

  const opened = new Promise<any>((resolve) => v.socket.once('proactive.open', resolve));
  await outreach.locator('[data-test="lm-outreach-proactive"]').click();
  await page.locator('.el-message-box textarea').fill('Hello Wang Wu, about the blue sofa');
  await page.locator('.el-message-box .el-button--primary').click();
  t.is((await opened).message.text, 'Hello Wang Wu, about the blue sofa');
  const item = outreach.locator('[data-test="lm-outreach-item"]');
  await item.first().waitFor({ timeout: 5000 });
  const conversation = await s.k.server.db('conversations').where({ visitor_id: v.visitorId, initiator: 'proactive' }).first('id');
  t.regex(await item.first().innerText(), new RegExp(`主动对话 · .* · 对话 #${conversation.id}`));
  t.is(await outreach.locator('[data-test="lm-outreach-proactive"]').count(), 1, 'still offered: the visitor is on the site');
  await page.screenshot({ path: screenshotPath('leave-message-outreach') });

  // WORKBENCH-VISITOR-8: in the workbench, 访客信息 says how the open conversation began.
  await page.goto(s.k.url + '/');
  await page.locator('[data-test="conv-mine"]', { hasText: `#${v.visitorNumber}` }).click({ timeout: 15_000 });
  await page.locator('[data-test="visitor-info"]', { hasText: '发起方式' }).waitFor({ timeout: 10_000 });
  t.regex(await page.locator('[data-test="visitor-info"]').innerText(), /发起方式\s*主动对话/);
  t.deepEqual(errors, []);
});
