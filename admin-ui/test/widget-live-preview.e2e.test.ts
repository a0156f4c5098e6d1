import test from 'ava';
import type { Frame, Page, Request } from 'playwright-core';
import { ADMIN_PASSWORD } from '@kefu/core/testing';
import { field, previewFrame, screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 预览效果: the style screens show the widget's own chat window, drawn from the unsaved values. */
const s = serverAndBrowser();

async function counts() {
  const db = s.k.server.db;
  const one = async (table: string) => Number((await db(table).where({ company_id: s.k.company.id }).count({ n: '*' }).first())?.n ?? 0);
  return { visitors: await one('visitors'), conversations: await one('conversations') };
}

const text = (frame: Frame, css: string) => frame.locator(css).first().evaluate((n) => n.textContent?.trim() ?? '');

test('STYLE-PREVIEW-6 WINDOW-SCREEN-10 STYLE-LANG-4 the chat window screen previews the real widget with unsaved colour and title, in five languages and a phone frame with the mobile window’s texts (MOBILE-WINDOW-3), creating no visitor or conversation', async (t) => {
  const before = await counts();
  // The mobile window (on by default) with its own Korean welcome text: phones, and so the phone frame, show it.
  const mobile = (await s.admin.get('/api/settings/mobile')).body;
  const ownWindow = { ...mobile.settings.window, texts: { ...mobile.settings.window.texts, ko: { welcome: '모바일 환영합니다' } } };
  t.is((await s.admin.put('/api/settings/mobile', { version: mobile.version, settings: { ...mobile.settings, window: ownWindow } })).status, 200);
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  // The preview frame may load its own page, scripts and pictures; anything else it asked of the server (a socket,
  // the widget's setup) would be a visitor in the making. The console's own agent socket is not the frame's.
  const fromFrame: string[] = [];
  page.on('request', (r: Request) => {
    if (r.frame() !== page.mainFrame()) fromFrame.push(new URL(r.url()).pathname);
  });
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(s.k.url + '/settings/chat-window');
  await page.locator('[data-test="chat-window-settings"] form').waitFor();
  const frame = await previewFrame(page);
  t.true(frame.url().endsWith('/widget/preview.html'), frame.url());

  // Unsaved: a new theme colour and an English title → the widget's own header shows them.
  await page.getByRole('tab', { name: /English/ }).first().click();
  await field(page, 'text-en-title').fill('Acme help desk');
  await page.locator('[data-test="text-en-welcome"] textarea, textarea[data-test="text-en-welcome"]').first().fill('Hello from Acme!');
  await field(page, 'theme-color').fill('#aa3300');
  await page.locator('[data-test="preview-lang"]').click();
  await page.getByRole('option', { name: 'English' }).click();
  await frame.waitForFunction(() => document.getElementById('title')?.textContent === 'Acme help desk');
  t.is(await text(frame, '.msg.agent .text'), 'Hello from Acme!');
  t.is(await frame.locator('.head').evaluate((n) => getComputedStyle(n).backgroundColor), 'rgb(170, 51, 0)');
  t.is(await frame.locator('#input').getAttribute('placeholder'), 'Type a message and press Enter', 'the widget’s own English texts');
  // A tool switched off leaves the widget's toolbar.
  t.true(await frame.locator('#emoji').isVisible());
  await page.locator('[data-test="tool-emoji"]').click();
  await frame.locator('#emoji').waitFor({ state: 'hidden' });
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('widget-live-preview-desktop') });

  // Other languages: the widget's own texts change, and the company's texts of that language (defaults here).
  const seen: Record<string, string> = {};
  for (const [name, send] of [
    ['简体中文', '发送'],
    ['繁體中文', '傳送'],
    ['日本語', '送信'],
    ['한국어', '보내기'],
  ] as const) {
    await page.locator('[data-test="preview-lang"]').click();
    await page.getByRole('option', { name }).click();
    await frame.waitForFunction((want) => document.querySelector('#composer button')?.textContent === want, send);
    seen[name] = await text(frame, '#title');
  }
  t.is(new Set(Object.values(seen)).size, 4, `each language has its own title: ${JSON.stringify(seen)}`);
  t.false(Object.values(seen).includes('Acme help desk'), 'the English title stays English');
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('widget-live-preview-ko') });

  // The phone frame: the same window at 375 px, where the widget's small-screen rules apply.
  await page.locator('[data-test="preview-mobile"]').click();
  await page.locator('[data-test="widget-preview"][data-device="mobile"]').waitFor();
  await frame.waitForFunction(() => window.innerWidth === 375 && window.innerHeight === 667);
  t.is(await frame.locator('#input').evaluate((n) => getComputedStyle(n).fontSize), '16px', 'phones get 16 px inputs (MOBILE-RENDER-5)');
  await frame.locator('.msg.agent .text', { hasText: '모바일 환영합니다' }).waitFor();
  t.is(await frame.locator('.head').evaluate((n) => getComputedStyle(n).backgroundColor), 'rgb(170, 51, 0)');
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('widget-live-preview-mobile') });

  // Nothing was saved, and the preview made no visitor and no conversation.
  t.is((await s.admin.get('/api/settings/widget')).body.settings.style.themeColor, '#1677ff');
  t.true(fromFrame.length > 0, 'the frame’s requests were seen');
  t.deepEqual(
    fromFrame.filter((p) => !p.startsWith('/widget/')),
    [],
    'the preview asks the server for nothing but its own files',
  );
  t.deepEqual(await counts(), before);
  // Unlike the chat frame, the preview page is framed by the console only.
  const csp = (await fetch(`${s.k.url}/widget/preview.html`)).headers.get('content-security-policy') ?? '';
  t.regex(csp, /frame-ancestors 'self'/);
});

test('STYLE-PREVIEW-6 PRECHAT-SCREEN-9 LEAVESET-SCREEN-10 the pre-chat and leave-message screens preview the widget’s own forms with unsaved items and texts', async (t) => {
  const before = await counts();
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });

  await page.goto(s.k.url + '/settings/prechat');
  await page.locator('[data-test="prechat-settings"] form').waitFor();
  const prechat = await previewFrame(page);
  await prechat.locator('#prechat').waitFor();
  t.is(await prechat.locator('#app').getAttribute('data-state'), 'start', 'the start screen, even while the form is switched off');
  t.is(await prechat.locator('#prechat input[name="website"]').count(), 0);
  // Unsaved: the website item shown and required, and a welcome text.
  await page.locator('[data-test="shown-website"]').click();
  await page.locator('[data-test="required-website"]').click();
  await prechat.locator('#prechat input[name="website"][required]').waitFor();
  t.regex(await prechat.locator('#prechat label', { has: prechat.locator('input[name="website"]') }).innerText(), /\*/);
  await page.locator('.el-form-item:visible textarea').last().fill('请先留下您的网址');
  await prechat.locator('#start-body p', { hasText: '请先留下您的网址' }).waitFor();
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('widget-preview-prechat') });

  await page.goto(s.k.url + '/settings/leave-message');
  await page.getByRole('tab', { name: '信息定制' }).click();
  const leave = await previewFrame(page);
  await leave.locator('#leave-form textarea[name="content"]').waitFor();
  t.is(await leave.locator('#app').getAttribute('data-state'), 'leave');
  const title = page.locator('.el-form-item:visible', { has: page.locator('label', { hasText: '窗口标题' }) }).locator('input').first();
  await title.fill('请给我们留言');
  await leave.locator('#leave h2', { hasText: '请给我们留言' }).waitFor();
  await page.locator('[data-test="widget-preview"]').screenshot({ path: screenshotPath('widget-preview-leave') });

  // Nothing saved, no visitor made.
  t.false((await s.admin.get('/api/settings/widget')).body.settings.prechat.fields.website.shown);
  t.deepEqual(await counts(), before);
});
