import test from 'ava';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, agentSocket, call, visitorSocket } from '@kefu/core/testing';
import { screenshotPath, serverAndBrowser, signInWith } from './browser.ts';

/** 分组管理's expanded row (GROUP-EXPAND-2) in Chromium: members, bindings and queue, following changes live. */
const s = serverAndBrowser();
const sockets: Socket[] = [];
test.after.always(() => sockets.forEach((x) => x.disconnect()));

test.serial('GROUP-EXPAND-2 an expanded group shows members with status, load and accepted today, its bindings and its queue, live', async (t) => {
  await s.k.server
    .db('companies')
    .where({ id: s.k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAssign: false }) });
  const password = 'Quiet-river-42';
  const dana = await s.admin.post('/api/agents', { agentId: 'dana', name: 'Dana', nickname: 'Dana', password, mustChangePassword: false, permissions: ['conversation.accept'] });
  t.is(dana.status, 201, dana.text);
  const group = await s.admin.post('/api/groups', { name: 'Support', memberIds: [dana.body.id] });
  t.is(group.status, 201, group.text);
  const icon = await s.admin.post('/api/icons', { name: 'Support corner', type: 'float', binding: { kind: 'group', groupId: group.body.id } });
  t.true(icon.status < 300, icon.text);
  const agent = await agentSocket(s.k.url, await s.k.login('dana', password));
  sockets.push(agent);
  t.true((await call(agent, 'presence.set', { status: 'busy' })).ok);

  const context = await s.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInWith(page, s.k.url, { companyId: s.k.company.publicId, agentId: 'admin', password: ADMIN_PASSWORD });
  await page.goto(`${s.k.url}/groups`);
  await page.locator('[data-test="groups-table"] tr', { hasText: 'Support' }).first().locator('td').nth(1).click();
  const expand = page.locator(`[data-test="group-expand-${group.body.id}"]`);
  const member = expand.locator('[data-test="group-expand-member"]', { hasText: 'Dana' });
  await member.waitFor({ timeout: 10_000 });
  t.regex((await member.textContent()) ?? '', /Busy\s*0\/\d+ chats\s*0 accepted today/);
  const binding = expand.locator('[data-test="group-expand-binding"]', { hasText: 'Support corner' });
  t.regex((await binding.textContent()) ?? '', /Icon/);
  t.is(await binding.locator('a').getAttribute('href'), '/settings/icons');
  await expand.locator('[data-test="group-expand-queue-empty"]').waitFor();

  // A visitor asks through the group's icon: the queue appears within a second or so, without reloading.
  const v = await visitorSocket(s.k.url, s.k.company.publicId);
  sockets.push(v.socket);
  const req = await call(v.socket, 'chat.request', { iconKey: icon.body.key });
  t.true(req.ok, JSON.stringify(req));
  await expand.locator('[data-test="group-expand-waiting"]', { hasText: `#${v.visitorNumber}` }).waitFor({ timeout: 3000 });
  t.regex((await expand.locator('[data-test="group-expand-longest"]').textContent()) ?? '', /1 waiting, longest \d+ s/);
  await page.screenshot({ path: screenshotPath('group-expand') });

  // Dana takes it and goes online: queue, load, today's count and status follow.
  t.true((await call(agent, 'conversation.accept', { conversationId: req.conversation.id })).ok);
  await expand.locator('[data-test="group-expand-queue-empty"]').waitFor({ timeout: 3000 });
  t.true((await call(agent, 'presence.set', { status: 'online' })).ok);
  await page.waitForFunction(
    (id) => /Online\s*1\/\d+ chats\s*1 accepted today/.test(document.querySelector(`[data-test="group-expand-${id}"] [data-test="group-expand-member"]`)?.textContent ?? ''),
    group.body.id,
    { timeout: 3000 },
  );
  t.deepEqual(errors, []);
  await context.close();
});
