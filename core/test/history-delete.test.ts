import fs from 'node:fs';
import test from 'ava';
import { startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import { FileStorage } from '../src/files/file-storage.ts';
import { HookRegistry } from '../src/hooks/hook-registry.ts';
import { addAgent, signIn } from './helpers/accounts.ts';
import { seedConversation } from './history-seed.ts';

let k: TestKefu;
let admin: TestClient;
const deletedEvents: number[][] = [];

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
  k.server.container.resolve(HookRegistry).addAction('conversation.deleted', (p) => void deletedEvents.push(p.conversationIds), { owner: 'core' });
});
test.after.always(async () => {
  await k?.close();
});

test.serial(
  'HISTORY-DELETE-12 with history.delete, visible ended conversations go with messages and files; running ones, others’ and other companies’ do not',
  async (t) => {
    const ann = await addAgent(admin, 'ann', { permissions: ['history.delete'] });
    await addAgent(admin, 'bob');
    const annC = await signIn(k, 'ann');
    const bobC = await signIn(k, 'bob');
    const mine = await seedConversation(k, { agentId: ann.id, visitor: { name: '张三' }, lines: [['visitor', '我要退款']] });
    const mine2 = await seedConversation(k, { agentId: ann.id, lines: [['visitor', 'hello']] });
    const running = await seedConversation(k, { agentId: ann.id, status: 'active', lines: [['visitor', 'still here']] });
    const notMine = await seedConversation(k, { lines: [['visitor', '别人的']] });
    const other = await k.createCompany('Other');
    const foreign = await seedConversation(k, { companyId: other.id, lines: [['visitor', 'elsewhere']] });

    // A stored image of the conversation: its row and its bytes must both go.
    const storage = k.server.container.resolve(FileStorage);
    const { file, thumb } = await storage.placeFor(k.company.id, 'del-test-key', new Date());
    fs.writeFileSync(storage.abs(file), 'bytes');
    fs.writeFileSync(storage.abs(thumb), 'thumb');
    await k.server.db('files').insert({
      company_id: k.company.id,
      key: 'del-test-key',
      conversation_id: mine,
      uploader_kind: 'visitor',
      uploader_id: 1,
      name: 'photo.png',
      mime: 'image/png',
      size: 5,
      storage_path: file,
      thumb_path: thumb,
      status: 'available',
    });

    const denied = await bobC.post('/api/history/conversations/delete', { ids: [mine] });
    t.is(denied.status, 403);
    t.is(denied.body.error.permission, 'history.delete');
    const ongoing = await annC.post('/api/history/conversations/delete', { ids: [mine, running] });
    t.is(ongoing.status, 409);
    t.like(ongoing.body.error, { code: 'conversation_ongoing', conversationIds: [running] });
    t.is((await annC.get(`/api/history/conversations/${mine}`)).status, 200, 'nothing deleted when refused');
    t.is((await annC.post('/api/history/conversations/delete', { ids: Array.from({ length: 501 }, (_, i) => i + 1) })).status, 400);

    const { visitor_id: visitorId } = await k.server.db('conversations').where({ id: mine }).first('visitor_id');
    const r = await annC.post('/api/history/conversations/delete', { ids: [mine, mine2, notMine, foreign] });
    t.is(r.status, 200, r.text);
    t.deepEqual(r.body, { deleted: [mine, mine2].sort((a, b) => a - b), notFound: [notMine, foreign] });
    t.is((await annC.get(`/api/history/conversations/${mine}`)).status, 404);
    t.is((await admin.get(`/api/history/conversations/${notMine}`)).status, 200, 'one she never served stays');
    t.is((await k.server.db('conversations').where({ id: foreign }).first()).id !== undefined, true, 'another company’s stays');
    t.is((await k.server.db('messages').whereIn('conversation_id', [mine, mine2])).length, 0);
    t.is((await k.server.db('files').where({ key: 'del-test-key' })).length, 0);
    t.false(fs.existsSync(storage.abs(file)));
    t.false(fs.existsSync(storage.abs(thumb)));
    t.truthy(await k.server.db('visitors').where({ id: visitorId }).first('id'), 'the visitor stays');
    t.deepEqual(
      deletedEvents.at(-1)?.sort((a, b) => a - b),
      [mine, mine2].sort((a, b) => a - b),
    );
    const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'history.delete' }).first();
    t.is(audit.old_value.count, 2);
    t.false(JSON.stringify(audit).includes('退款'), 'IDs and count, never content');
  },
);
