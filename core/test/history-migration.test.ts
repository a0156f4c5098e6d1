import test from 'ava';
import { startTestServer } from '@kefu/core/testing';
import { down, up } from '../migrations/20261126_011_history_search.ts';
import { seedConversation } from './history-seed.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

test(`HISTORY-PERF-3 the keyword index migration rolls back and backfills messages stored before it (${driver})`, async (t) => {
  const k = await startTestServer();
  try {
    const admin = await k.login();
    const db = k.server.db;
    const id = await seedConversation(k, {});
    // Rows as they were before the index existed: no search column.
    await down(db);
    const cols = async () =>
      (await db.raw("select column_name from information_schema.columns where table_name = 'messages'")).rows.map((r: any) => r.column_name);
    t.false((await cols()).includes('search_tsv'));
    await db('messages').insert([
      { company_id: k.company.id, conversation_id: id, seq: 1, client_id: 'old-1', sender_kind: 'visitor', kind: 'text', text: '老消息：我要退款' },
      {
        company_id: k.company.id,
        conversation_id: id,
        seq: 2,
        client_id: 'old-2',
        sender_kind: 'agent',
        kind: 'file',
        payload: JSON.stringify({ name: 'Invoice.PDF' }),
      },
      { company_id: k.company.id, conversation_id: id, seq: 3, client_id: 'old-3', sender_kind: 'system', kind: 'system', text: '系统发票' },
    ]);
    await db('conversations').where({ id }).update({ last_seq: 3 });
    await up(db);
    const hits = async (keyword: string) =>
      (await admin.get(`/api/history/conversations?keyword=${encodeURIComponent(keyword)}`)).body.items.map((i: any) => i.id);
    t.deepEqual(await hits('退款'), [id]);
    t.deepEqual(await hits('invoice'), [id], 'file names of old messages too');
    t.deepEqual(await hits('发票'), [], 'system texts stay out');
  } finally {
    await k.close();
  }
});
