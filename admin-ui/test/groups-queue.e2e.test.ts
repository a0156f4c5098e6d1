import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, startTestServer, visitorSocket, type TestClient, type TestKefu } from '@kefu/core/testing';
import { launchBrowser, screenshotPath, signInWith } from './browser.ts';

/** The groups screen's overflow and live state, and the queue dashboard with 指派, in real Chromium. */
let k: TestKefu;
let browser: Browser;
let admin: TestClient;
let page: Page;
const pageErrors: string[] = [];
const sockets: Socket[] = [];
const AGENT_PASSWORD = 'Quiet-river-42';

test.before(async () => {
  [k, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await k.login();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInWith(page, k.url, { companyId: k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
});
test.after.always(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await k?.close();
});

async function agentOnDuty(agentId: string, status: string) {
  const created = await admin.post('/api/agents', { agentId, name: agentId, password: AGENT_PASSWORD, mustChangePassword: false, permissions: ['conversation.accept'] });
  if (created.status !== 201) throw new Error(created.text);
  const c = k.client();
  const login = await c.post('/api/auth/login', { companyId: String(k.company.publicId), agentId, password: AGENT_PASSWORD });
  if (login.status !== 200) throw new Error(login.text);
  const s = await agentSocket(k.url, c);
  sockets.push(s);
  const set = async (st: string) => {
    const r = await call(s, 'presence.set', { status: st, autoAccept: false });
    if (!r.ok) throw new Error(JSON.stringify(r));
  };
  await set(status);
  return { id: created.body.id as number, set };
}

test.serial('GROUP-OVERFLOW-7 GROUP-LIST-1 GROUP-STATE-6 a group’s overflow is set in its dialog; state and members on duty follow presence live', async (t) => {
  const ann = await agentOnDuty('ann', 'away');
  const target = (await admin.post('/api/groups', { name: '售后' })).body;
  const g = (await admin.post('/api/groups', { name: '技术', memberIds: [ann.id] })).body;
  await page.goto(k.url + '/groups');
  await page.locator(`[data-test="group-overflow-${g.id}"]`).waitFor({ timeout: 15_000 });
  t.is((await page.locator(`[data-test="group-overflow-${g.id}"]`).textContent())?.trim(), '留言', 'the default overflow');
  t.is((await page.locator(`[data-test="group-state-${g.id}"]`).textContent())?.trim(), '离线');

  await page.locator(`[data-test="group-edit-${g.id}"]`).click();
  const dialog = page.locator('[data-test="group-dialog"]');
  await dialog.locator('[data-test="overflow-group"]').click();
  await dialog.locator('[data-test="group-save"]').click();
  await dialog.locator('.el-form-item.is-error').first().waitFor({ timeout: 5000 }); // a target group is required
  await dialog.locator('[data-test="group-field-overflow-group"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '售后' }).click();
  const wait = dialog.locator('[data-test="group-field-overflow-wait"] input');
  await wait.fill('30');
  await wait.blur();
  await dialog.locator('[data-test="group-save"]').click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  const saved = ((await admin.get('/api/groups')).body.items as any[]).find((x) => x.id === g.id);
  t.deepEqual(saved.overflow, { target: 'group', groupId: target.id, waitSeconds: 30 });
  await page.locator(`[data-test="group-overflow-${g.id}"]`, { hasText: '30 秒后转到 售后' }).waitFor({ timeout: 5000 });

  // No reload: the presence push updates the row.
  await ann.set('online');
  await page.locator(`[data-test="group-state-${g.id}"]`, { hasText: '在线' }).waitFor({ timeout: 5000 });
  t.is((await page.locator(`[data-test="group-onduty-${g.id}"]`).textContent())?.trim(), '1 / 1');
  await ann.set('busy');
  await page.locator(`[data-test="group-state-${g.id}"]`, { hasText: '忙碌' }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: screenshotPath('groups-overflow'), fullPage: true });
  t.deepEqual(pageErrors, []);
});

test.serial('ASSIGN-DASHBOARD-17 the queue dashboard lists a new waiting visitor live and 指派 hands it to a chosen agent', async (t) => {
  const version = (await admin.get('/api/settings/assignment')).body.version;
  t.is((await admin.put('/api/settings/assignment', { version, settings: { autoAssign: false } })).status, 200);
  const bob = await agentOnDuty('bob', 'online');
  await page.goto(k.url + '/assignment/queue');
  await page.locator('[data-test="queue-waiting"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-test="queue-waiting"]', { hasText: '当前无人等待' }).waitFor({ timeout: 10_000 });

  const v = await visitorSocket(k.url, k.company.publicId);
  sockets.push(v.socket);
  const { conversation } = await call(v.socket, 'chat.request', {});
  const pick = page.locator(`[data-test="dispatch-agent-${conversation.id}"]`);
  await pick.waitFor({ timeout: 5000 }); // pushed, not polled
  t.is((await page.locator('[data-test="scope-waiting-company"]').textContent())?.trim(), '1');
  await pick.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'bob' }).click();
  await page.locator(`[data-test="dispatch-${conversation.id}"]`).click();
  await page.locator('.el-message--success').last().waitFor({ timeout: 10_000 });
  await pick.waitFor({ state: 'detached', timeout: 5000 });
  const row = await k.server.db('conversations').where({ id: conversation.id }).first('status', 'agent_id');
  t.like({ ...row, agent_id: Number(row.agent_id) }, { status: 'active', agent_id: bob.id });
  await page.locator(`[data-test="agent-load-${bob.id}"]`, { hasText: '1 /' }).waitFor({ timeout: 5000 });
  await page.screenshot({ path: screenshotPath('queue-dashboard'), fullPage: true });
  t.deepEqual(pageErrors, []);
});
