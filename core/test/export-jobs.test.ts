import test from 'ava';
import ExcelJS from 'exceljs';
import { agentSocket, next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';
import type { Socket } from 'socket.io-client';
import { Readable } from 'node:stream';
import { EXPORT_TUNING } from '../src/exports/export-plan.ts';
import { ExportJobs } from '../src/exports/export-jobs.ts';
import { CronSupervisor } from '../src/plugins/cron-supervisor.ts';
import { addAgent, setPermissions, signIn } from './helpers/accounts.ts';
import { seedConversation } from './history-seed.ts';

const driver = process.env.KEFU_TEST_PG ? 'PostgreSQL' : 'embedded PGlite';

let k: TestKefu;
let admin: TestClient;
let ann: TestClient;
let bob: TestClient;
let annId: number;
let socket: Socket;
const saved = { ...EXPORT_TUNING };
const CONVERSATIONS = 7;

const run = (name: string) => k.server.container.resolve(CronSupervisor).runOnce(`core:${name}`);
const jobs = () => k.server.db('export_jobs').where({ company_id: k.company.id });

/** Waits for the `exports.updated` push that says the job is finished one way or another, keeping every push seen. */
async function finished(id: number, seen: any[] = []) {
  return next(socket, 'exports.updated', (j: any) => {
    if (j.id === id) seen.push(j);
    return j.id === id && j.status !== 'running';
  });
}

/** The value once it is no longer `running` (polled every 20 ms, up to 2 s). */
async function until(read: () => Promise<string>): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (v !== 'running') return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return 'running';
}

test.before(async () => {
  // Tiny sizes so a handful of rows is a "large" export, read two at a time with every step shown.
  Object.assign(EXPORT_TUNING, { direct: 5, batch: 2, progressMs: 0 });
  k = await startTestServer();
  admin = await k.login();
  annId = (await addAgent(admin, 'ann', { permissions: ['history.export', 'leavemsg.export'] })).id;
  await addAgent(admin, 'bob', { permissions: ['history.export', 'history.viewAll'] });
  ann = await signIn(k, 'ann');
  bob = await signIn(k, 'bob');
  for (let i = 0; i < CONVERSATIONS; i++) await seedConversation(k, { agentId: annId, visitor: { name: `访客${i}` }, lines: [['visitor', `你好 ${i}`]] });
  socket = await agentSocket(k.url, ann);
});
test.after.always(async () => {
  Object.assign(EXPORT_TUNING, saved);
  socket?.close();
  await k?.close();
});

test.serial(`HISTORY-EXPORTJOB-11 up to the threshold the file streams straight to the browser (${driver})`, async (t) => {
  const r = await ann.get('/api/history/export?format=csv&agentId=' + annId + '&visitorName=%E8%AE%BF%E5%AE%A21');
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type')!, /^text\/csv/);
  t.is(r.text.trimEnd().split('\r\n').length, 2);
  t.is((await jobs()).length, 0, 'no job for a small export');
});

test.serial(
  `HISTORY-EXPORTJOB-11 a larger export runs as a job: progress and the ready notification reach the requester's socket, the file downloads (${driver})`,
  async (t) => {
    const r = await ann.get('/api/history/export?format=xlsx');
    t.is(r.status, 200);
    t.regex(r.headers.get('content-type')!, /^application\/json/);
    const { job } = r.body;
    t.like(job, { kind: 'history', format: 'xlsx', status: 'running', total: CONVERSATIONS, size: null });
    t.regex(job.filename, /^kefu-conversations-list-\d{8}\.xlsx$/);

    const seen: any[] = [];
    const done = await finished(job.id, seen);
    t.like(done, { status: 'done', done: CONVERSATIONS, total: CONVERSATIONS, error: null });
    t.true(done.size > 0);
    const hours = (Date.parse(done.expiresAt) - Date.parse(done.finishedAt)) / 3600_000;
    t.is(hours, 24);
    // Read two at a time, each batch counted once written.
    t.deepEqual(
      seen.filter((j) => j.status === 'running').map((j) => j.done),
      [0, 2, 4, 6, 7],
    );

    const list = await ann.get('/api/exports');
    t.is(list.status, 200);
    t.like(list.body, { total: 1, page: 1, pageSize: 20 });
    t.like(list.body.items[0], { id: job.id, status: 'done', size: done.size });

    const file = await fetch(`${k.url}/api/exports/${job.id}/download`, { headers: { cookie: ann.cookie } });
    t.is(file.status, 200);
    t.regex(file.headers.get('content-disposition')!, new RegExp(`filename="${job.filename}"`));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await file.arrayBuffer()) as never);
    t.is(book.getWorksheet('conversations')!.rowCount, CONVERSATIONS + 1, 'header and every conversation');

    const audit = await k.server.db('audit_log').where({ company_id: k.company.id, action: 'history.export' }).orderBy('id', 'desc').first();
    t.like(audit.new_value, { format: 'xlsx', count: CONVERSATIONS, job: job.id });
  },
);

test.serial(`HISTORY-EXPORTJOB-11 only the requester downloads: another agent and another company get 404 and see no job (${driver})`, async (t) => {
  const [job] = await jobs().where({ status: 'done' });
  t.is((await bob.get(`/api/exports/${job.id}/download`)).status, 404);
  t.deepEqual((await bob.get('/api/exports')).body.items, []);
  const other = await k.createCompany('Other');
  const stranger = await k.login('admin', other.adminPassword, other.publicId);
  t.is((await stranger.get(`/api/exports/${job.id}/download`)).status, 404);
  t.is((await stranger.get('/api/exports')).body.total, 0);
  t.is((await ann.get(`/api/exports/${job.id}/download`)).status, 200);
});

test.serial(`HISTORY-EXPORTJOB-11 after 24 hours the cleanup deletes the file; the job shows expired and downloads 404 (${driver})`, async (t) => {
  const [job] = await jobs().where({ status: 'done' });
  await run('export-cleanup');
  t.is((await ann.get(`/api/exports/${job.id}/download`)).status, 200, 'not before its time');
  await jobs()
    .where({ id: job.id })
    .update({ expires_at: new Date(Date.now() - 1000) });
  await run('export-cleanup');
  t.is((await ann.get(`/api/exports/${job.id}/download`)).status, 404);
  t.like((await ann.get('/api/exports')).body.items[0], { id: Number(job.id), status: 'expired' });
  const fs = await import('node:fs');
  const path = await import('node:path');
  t.false(fs.existsSync(path.resolve(k.server.config.KEFU_DATA_DIR, job.file_path)), 'the file is gone');
});

test.serial(`HISTORY-EXPORTJOB-11 at most 2 running jobs per agent: a third answers 429 rate_limited (${driver})`, async (t) => {
  const running = { company_id: k.company.id, agent_id: annId, kind: 'history', format: 'csv', params: JSON.stringify({ format: 'csv' }) };
  const ids = await k.server
    .db('export_jobs')
    .insert([1, 2].map((i) => ({ ...running, filename: `f${i}.csv`, file_path: `exports/${k.company.id}/held-${i}.csv`, heartbeat_at: new Date() })))
    .returning('id');
  try {
    const r = await ann.get('/api/history/export?format=csv');
    t.is(r.status, 429);
    t.is(r.body.error.code, 'rate_limited');
    const small = await ann.get('/api/history/export?format=csv&visitorName=%E8%AE%BF%E5%AE%A21');
    t.is(small.status, 200, 'a direct download is not a job and still works');
    const r2 = await bob.get('/api/history/export?format=csv');
    t.is(r2.status, 200, 'another agent has his own two');
    t.is(r2.body.job.status, 'running');
    t.is(await until(async () => (await jobs().where({ id: r2.body.job.id }).first()).status), 'done');
  } finally {
    await k.server
      .db('export_jobs')
      .whereIn(
        'id',
        ids.map((r: any) => r.id),
      )
      .delete();
  }
});

test.serial(`HISTORY-EXPORTJOB-11 a job cut off by a stopped node is restarted by the sweep and finishes (${driver})`, async (t) => {
  const [row] = await k.server
    .db('export_jobs')
    .insert({
      company_id: k.company.id,
      agent_id: annId,
      kind: 'history',
      format: 'csv',
      params: JSON.stringify({ format: 'csv', content: 'messages' }),
      filename: 'cut-off.csv',
      file_path: `exports/${k.company.id}/cut-off-${Date.now()}.csv`,
      done: 4,
      heartbeat_at: new Date(Date.now() - EXPORT_TUNING.staleMs - 1000),
    })
    .returning('*');
  const done = finished(Number(row.id));
  await run('export-jobs');
  t.like(await done, { status: 'done', done: CONVERSATIONS });
  t.is((await jobs().where({ id: row.id }).first()).attempts, 2);
  const csv = await ann.get(`/api/exports/${row.id}/download`);
  t.is(csv.text.trimEnd().split('\r\n').length, CONVERSATIONS + 1, 'one message per conversation, from the beginning again');
});

test.serial(`HISTORY-EXPORTJOB-11 a job whose requester no longer holds the permission is cancelled (AGENT-PERMS-17) (${driver})`, async (t) => {
  const carl = await addAgent(admin, 'carl', { permissions: [] });
  const [row] = await k.server
    .db('export_jobs')
    .insert({
      company_id: k.company.id,
      agent_id: carl.id,
      kind: 'history',
      format: 'csv',
      params: JSON.stringify({ format: 'csv' }),
      filename: 'carl.csv',
      file_path: `exports/${k.company.id}/carl-${Date.now()}.csv`,
      heartbeat_at: new Date(Date.now() - EXPORT_TUNING.staleMs - 1000),
    })
    .returning('*');
  await run('export-jobs');
  t.is(await until(async () => (await jobs().where({ id: row.id }).first()).status), 'cancelled');
  t.is((await jobs().where({ id: row.id }).first()).error, 'permission_removed');
});

test.serial(`HISTORY-EXPORTJOB-11 AGENT-PERMS-17 a running job is cancelled as soon as its requester's permission is removed (${driver})`, async (t) => {
  const dora = await addAgent(admin, 'dora', { permissions: ['history.export'] });
  // A kind whose file never ends until released, so the job is surely still running when the permission goes.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let wrote = 0;
  k.server.container.resolve(ExportJobs).register('held', {
    permission: 'history.export',
    plan: async () => ({
      count: 10,
      filename: 'held.csv',
      contentType: 'text/csv',
      audit: { action: 'test', new: {} },
      open: (progress) =>
        Readable.from(
          (async function* () {
            yield 'a\r\n';
            await progress?.(1);
            wrote++;
            await held;
            yield 'b\r\n';
          })(),
        ),
    }),
  });
  const [row] = await k.server
    .db('export_jobs')
    .insert({
      company_id: k.company.id,
      agent_id: dora.id,
      kind: 'held',
      format: 'csv',
      params: '{}',
      filename: 'held.csv',
      file_path: `exports/${k.company.id}/held-${Date.now()}.csv`,
      heartbeat_at: new Date(Date.now() - EXPORT_TUNING.staleMs - 1000),
    })
    .returning('*');
  try {
    await run('export-jobs');
    for (let i = 0; i < 100 && !wrote; i++) await new Promise((r) => setTimeout(r, 20));
    t.like(await jobs().where({ id: row.id }).first(), { status: 'running', done: 1 });
    await setPermissions(admin, dora.id, []);
    t.is(await until(async () => (await jobs().where({ id: row.id }).first()).status), 'cancelled');
    t.is((await jobs().where({ id: row.id }).first()).error, 'permission_removed');
  } finally {
    release();
  }
});

test.serial(`LEAVEMSG-EXPORT-13 more than the threshold of leave-messages runs as a job delivered the same way (${driver})`, async (t) => {
  for (let i = 0; i < 6; i++)
    await k.server.db('leave_messages').insert({ company_id: k.company.id, content: `留言 ${i}`, fields: JSON.stringify({ content: `留言 ${i}` }) });
  const r = await ann.get('/api/leave-messages/export?format=csv');
  t.is(r.status, 200);
  t.like(r.body.job, { kind: 'leavemsg', status: 'running', total: 6 });
  t.like(await finished(r.body.job.id), { status: 'done', done: 6 });
  const csv = await ann.get(`/api/exports/${r.body.job.id}/download`);
  t.is(csv.status, 200);
  const lines = csv.text
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
  t.is(lines.length, 7);
  t.true(lines[0].startsWith('留言ID,留言时间'));
  t.is((await bob.get(`/api/exports/${r.body.job.id}/download`)).status, 404);
});
