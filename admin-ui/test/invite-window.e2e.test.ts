import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, previewFrame, screenshotPath, signInWith } from './browser.ts';

/** 邀请窗口 settings screen (INVITE-SCREEN-9) in real Chromium (English console). */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
});
test.after.always(async () => {
  await browser?.close();
  await k?.close();
});

const input = (page: Page, name: string) =>
  page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();
async function choose(page: Page, select: string, option: string) {
  await page.locator(`[data-test="${select}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).click();
}

test('INVITE-SCREEN-9 INVITE-STRATEGY-4 the invitation window screen: a refused rule is marked beside its field, a save is kept and shown again after a reload', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(k.url + '/settings/chat-window');
  await page.locator('[data-test="widget-preview"]').waitFor();
  t.is(await page.getByText('Automatic invitation').count(), 0, 'the invitation left the chat window screen');
  await page.getByText('Configuration', { exact: true }).click();
  await page.getByText('Invitation window', { exact: true }).first().click();
  await page.waitForURL(/\/settings\/invite$/);
  await page.locator('[data-test="invite-form"]').waitFor();
  await page.locator('[data-test="no-rules"]').waitFor();

  await choose(page, 'invite-mode', 'Bottom left');
  await input(page, 'invite-max').fill('5');
  await input(page, 'invite-max').blur();
  await page.locator('[data-test="invite-auto"]').click();
  await page.locator('[data-test="add-rule"]').click();
  await input(page, 'rule-0-minSeconds').fill('30');
  await input(page, 'rule-0-minSeconds').blur();
  await choose(page, 'rule-0-page-op', 'matches pattern');
  await input(page, 'rule-0-page-value').fill('(a+)+');
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('[data-test="settings-error"]').waitFor();
  const rule = page.locator('[data-test="rule-0"]');
  await rule.locator('.el-form-item.is-error', { hasText: 'Current page' }).getByText('no nested repetition').waitFor();
  t.false((await admin.get('/api/settings/widget')).body.settings.invite.auto, 'nothing saved while a rule is refused');

  await input(page, 'rule-0-page-value').fill('/pricing');
  await rule.locator('.el-tabs__item', { hasText: 'English' }).click();
  await input(page, 'rule-0-text-en').fill('Questions about our prices?');
  await page.locator('[data-test="invite-texts"] .el-tabs__item', { hasText: 'English' }).click();
  await input(page, 'invite-en-title').fill('Talk to us');
  // STYLE-PREVIEW-6: the widget's own invitation, in the unsaved mode, words and colours, over a stand-in page.
  const frame = await previewFrame(page);
  const inv = frame.locator('kefu-invite .inv');
  await inv.locator('h2', { hasText: 'Talk to us' }).waitFor();
  const place = await inv.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: innerWidth - r.right, bottom: innerHeight - r.bottom };
  });
  t.true(place.left < 40 && place.right > 100 && place.bottom > 40, `bottom left, above the icon: ${JSON.stringify(place)}`);
  await choose(page, 'invite-template', 'Custom');
  await input(page, 'invite-titleColor').fill('#112233');
  await input(page, 'invite-width').fill('480');
  await input(page, 'invite-width').blur();
  await frame.locator('kefu-invite .inv.t-custom').waitFor();
  t.is(await inv.locator('h2').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(17, 34, 51)', 'the custom title-bar colour');
  t.is(await inv.locator('h2').evaluate((e) => getComputedStyle(e).color), 'rgb(255, 255, 255)', 'white text on the dark bar');
  t.is(Math.round(await inv.evaluate((e) => e.getBoundingClientRect().width)), 480, 'the custom width');
  await inv.evaluate((e) => Promise.all(e.getAnimations().map((a) => a.finished)));
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('invite-window-preview') });
  await inv.locator('button.ok').click();
  await inv.waitFor({ state: 'detached' });
  await inv.waitFor();
  t.is(await inv.count(), 1, 'answering the preview draws it again');
  await page.locator('[data-test="settings-save"]').click();
  await page.locator('.el-message--success').last().waitFor();
  await page.screenshot({ path: screenshotPath('invite-window'), fullPage: true });

  const saved = (await admin.get('/api/settings/widget')).body.settings.invite;
  t.like(saved, { auto: true, mode: 'bottom-left', maxPerVisit: 5 });
  t.deepEqual(saved.strategies[0].conditions, { minSeconds: 30, page: { op: 'regex', value: '/pricing' } });
  t.is(saved.texts.en.title, 'Talk to us');
  t.deepEqual(saved.strategies[0].texts.en, { text: 'Questions about our prices?' }, 'the rule overrides the text alone');
  t.deepEqual(saved.strategies[0].texts['zh-CN'], {}, 'other languages use the company text');
  t.like(saved.style, { template: 'custom', titleColor: '#112233', buttonColor: null, width: 480 });

  await page.reload();
  await page.locator('[data-test="invite-form"]').waitFor();
  t.is(await input(page, 'invite-max').inputValue(), '5');
  t.is(await input(page, 'rule-0-minSeconds').inputValue(), '30');
  t.is(await input(page, 'rule-0-page-value').inputValue(), '/pricing');
  t.is(await input(page, 'invite-titleColor').inputValue(), '#112233');
  await page.locator('[data-test="invite-texts"] .el-tabs__item', { hasText: 'English' }).click();
  t.is(await input(page, 'invite-en-title').inputValue(), 'Talk to us');
  await page.locator('[data-test="rule-0"] .el-tabs__item', { hasText: 'English' }).click();
  t.is(await input(page, 'rule-0-text-en').inputValue(), 'Questions about our prices?');
  t.regex((await page.locator('[data-test="invite-mode"]').textContent()) ?? '', /Bottom left/);
  await context.close();
});
