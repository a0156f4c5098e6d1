import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { next, startTestServer, type TestClient, type TestKefu } from '@kefu/core/testing';

export const AGENT_PASSWORD = 'Agent-pass-2026x';
const fixtures = path.join(import.meta.dirname, 'fixtures');
export const fixture = <T = any>(name: string): T => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

export interface Setup {
  k: TestKefu;
  admin: TestClient;
}

/** A server with one company that has `robot` enabled through the real API. */
export async function setup(enable = true): Promise<Setup> {
  const k = await startTestServer();
  const admin = await k.login();
  if (enable) await enableRobot(admin);
  return { k, admin };
}

export async function enableRobot(c: TestClient) {
  const r = await c.post('/api/plugins/robot/enable', {});
  if (r.status !== 200) throw new Error(`enable failed: ${r.status} ${r.text}`);
}

export async function setAutoAssign(k: TestKefu, on: boolean, companyId = k.company.id) {
  await k.server
    .db('companies')
    .where({ id: companyId })
    .update({ chat_settings: JSON.stringify({ autoAssign: on }) });
}

export async function createAgent(admin: TestClient, agentId: string): Promise<number> {
  const r = await admin.post('/api/agents', { agentId, name: agentId, password: AGENT_PASSWORD, mustChangePassword: false });
  if (r.status !== 201) throw new Error(`create agent failed: ${r.status} ${r.text}`);
  return r.body.id;
}

/** Loads the shipped knowledge base (and synonyms) through the API; returns fixture id → stored id. */
export async function loadKb(admin: TestClient): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  const cats = new Map<string, number>();
  for (const e of fixture<any[]>('kb.json')) {
    if (!cats.has(e.category)) {
      const existing = (await admin.get('/api/p/robot/categories')).body.categories.find((c: any) => c.name === e.category);
      cats.set(e.category, existing?.id ?? (await admin.post('/api/p/robot/categories', { name: e.category })).body.id);
    }
    const r = await admin.post('/api/p/robot/entries', {
      question: e.question,
      phrasings: e.phrasings,
      answer: e.answer,
      keywords: e.keywords,
      categoryId: cats.get(e.category),
    });
    if (r.status !== 201) throw new Error(`entry ${e.id} failed: ${r.status} ${r.text}`);
    ids.set(e.id, r.body.id);
  }
  const s = await admin.put('/api/p/robot/synonyms', { groups: fixture('synonyms.json') });
  if (s.status !== 200) throw new Error(`synonyms failed: ${s.status} ${s.text}`);
  return ids;
}

/** The installed 寒暄库 seed overlaps the shipped small-talk entries; the tests use only the shipped set. */
export async function clearEntries(admin: TestClient) {
  for (;;) {
    const { entries } = (await admin.get('/api/p/robot/entries?limit=200')).body;
    if (!entries.length) return;
    for (const e of entries) await admin.del(`/api/p/robot/entries/${e.id}`);
  }
}

export { agentSocket, visitorSocket, call, next, DESKTOP_CHROME } from '@kefu/core/testing';

/** Resolves with the next robot message the visitor sees. */
export const robotSays = (s: Socket, where: (m: any) => boolean = () => true) =>
  next(s, 'message', (m) => m.message.senderKind === 'plugin' && where(m.message)).then((m) => m.message);
