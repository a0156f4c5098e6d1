import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { startTestServer, type TestKefu, type TestClient } from '@kefu/core/testing';
import { FileLinks } from '../src/files/file-links.ts';
import { agentSocket, call, next, visitorSocket } from './helpers/sockets.ts';
import { elfBytes, filesUnder, pdfBytes, peBytes, pngBytes, streamUpload, upload } from './helpers/uploads.ts';

let k: TestKefu;
let dataDir: string;
const PW = 'Pass-word-123';
const uuid = () => crypto.randomUUID();
const filesDir = () => path.join(dataDir, 'files');

test.before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-files-'));
  k = await startTestServer({ KEFU_DATA_DIR: dataDir });
  const admin = await k.login();
  await admin.post('/api/agents', { agentId: 'ann', name: 'ann', password: PW, mustChangePassword: false });
});
test.after.always(async () => {
  await k?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** ann online, a visitor whose chat was assigned to ann. */
async function chat() {
  const ann = await k.login('ann', PW);
  const agent = await agentSocket(k.url, ann);
  const v = await visitorSocket(k.url, k.company.publicId);
  const assigned = next(agent, 'conversation.updated', (m) => m.conversation.status === 'active');
  const { conversation } = await call(v.socket, 'chat.request', {});
  await assigned;
  const close = async () => {
    await call(v.socket, 'chat.end', { conversationId: conversation.id });
    agent.close();
    v.socket.close();
  };
  return { ann, agent, v, id: conversation.id as number, close };
}

const get = (url: string, client?: TestClient) => fetch(k.url + url, { headers: client?.cookie ? { cookie: client.cookie } : {} });
const visitorFile = (v: { token: string }, conversationId: number, file: { bytes: Buffer; name: string }) =>
  upload(k.url, '/api/widget/files', { fields: { companyId: k.company.publicId, token: v.token, conversationId }, file });
const links = (token: string, keys: string[]) => k.client().post('/api/widget/files/links', { companyId: k.company.publicId, token, keys });

test.serial('CONV-FILE-14 CONV-IMAGE-17 an agent sends an image: the visitor gets an image message with a thumbnail', async (t) => {
  const c = await chat();
  const png = await pngBytes(800, 600);
  const toVisitor = next(c.v.socket, 'message', (m) => m.message.kind === 'image');
  const clientId = uuid();
  const r = await upload(
    k.url,
    '/api/files',
    { fields: { conversationId: c.id, clientId }, file: { bytes: png, name: 'photo.png', type: 'image/png' } },
    c.ann,
  );
  t.is(r.status, 201, JSON.stringify(r.body));
  t.like(r.body.file, { kind: 'image', mime: 'image/png', width: 800, height: 600, status: 'available', name: 'photo.png' });
  t.regex(r.body.file.key, /^[A-Za-z0-9_-]{32}$/, '192 random bits, base64url');
  const { message } = await toVisitor;
  t.is(message.id, r.body.message.id);
  t.like(message.payload, {
    fileKey: r.body.file.key,
    name: 'photo.png',
    mime: 'image/png',
    width: 800,
    height: 600,
    url: `/f/${r.body.file.key}`,
    thumbUrl: `/f/${r.body.file.key}/thumb`,
  });

  // The visitor renews signed links and sees the thumbnail (longest side 240 px).
  const l = await links(c.v.token, [r.body.file.key]);
  t.is(l.status, 200);
  const thumb = await get(l.body.links[0].thumbUrl);
  t.is(thumb.status, 200);
  t.is(thumb.headers.get('content-type'), 'image/webp');
  t.like(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata(), { width: 240, height: 180, format: 'webp' });
  const full = await get(l.body.links[0].url);
  t.is(full.status, 200);
  t.regex(full.headers.get('content-disposition')!, /^inline; filename="photo.png"/, 'images are shown inline');
  t.is((await get(`/f/${r.body.file.key}`, c.ann)).status, 200, 'agents of the company open it with their session');

  // Without a session or signature, or with a forged one: no.
  t.is((await get(`/f/${r.body.file.key}/thumb`)).status, 401);
  const forged = await get(l.body.links[0].url.replace(/sig=[^&]+/, 'sig=' + 'A'.repeat(43)));
  t.is(forged.status, 403);
  t.is((await forged.json()).error.code, 'link_invalid');
  const late = new FileLinks(k.server.config, { now: () => new Date(Date.now() - 2 * 3600_000) }).sign(r.body.file.key);
  const expired = await get(late.url);
  t.is(expired.status, 403);
  t.is((await expired.json()).error.code, 'link_expired');

  // A retried upload (same clientId) never creates a second message.
  const again = await upload(k.url, '/api/files', { fields: { conversationId: c.id, clientId }, file: { bytes: png, name: 'photo.png' } }, c.ann);
  t.is(again.status, 201);
  t.is(again.body.message.id, r.body.message.id);
  t.is(Number((await k.server.db('messages').where({ conversation_id: c.id, client_id: clientId }).count('* as n').first())!.n), 1);
  t.is(Number((await k.server.db('files').where({ conversation_id: c.id }).count('* as n').first())!.n), 1);
  await c.close();
});

test.serial('CONV-IMAGE-17 images are re-encoded: EXIF orientation applied, metadata dropped; undecodable images refused', async (t) => {
  const c = await chat();
  const jpeg = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#c00' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'secret place' } } })
    .toBuffer();
  t.truthy((await sharp(jpeg).metadata()).exif, 'the upload carries EXIF');
  const r = await upload(k.url, '/api/files', { fields: { conversationId: c.id }, file: { bytes: jpeg, name: 'IMG_1.JPG' } }, c.ann);
  t.is(r.status, 201, JSON.stringify(r.body));
  t.like(r.body.file, { width: 100, height: 300, mime: 'image/jpeg' }, 'rotated upright');
  const stored = Buffer.from(await (await get(`/f/${r.body.file.key}`, c.ann)).arrayBuffer());
  const meta = await sharp(stored).metadata();
  t.is(meta.exif, undefined);
  t.is(meta.orientation, undefined);
  t.is(meta.width, 100);

  const broken = Buffer.concat([(await pngBytes(10, 10)).subarray(0, 40), Buffer.alloc(200, 7)]);
  const bad = await upload(k.url, '/api/files', { fields: { conversationId: c.id }, file: { bytes: broken, name: 'x.png' } }, c.ann);
  t.is(bad.status, 400);
  t.is(bad.body.error.fields[0].code, 'file_type_not_allowed');
  await c.close();
});

test.serial('CONV-FILE-16 a visitor file is held until the agent receives it, then downloadable; refused files are gone', async (t) => {
  const c = await chat();
  const toAgent = next(c.agent, 'message', (m) => m.message.kind === 'file');
  const r = await visitorFile(c.v, c.id, { bytes: pdfBytes(), name: '报价 "Q1".pdf' });
  t.is(r.status, 201, JSON.stringify(r.body));
  t.like(r.body.file, { status: 'held', kind: 'file', mime: 'application/pdf' });
  const key = r.body.file.key;
  t.like((await toAgent).message.payload, { fileKey: key, status: 'held', size: pdfBytes().length, mime: 'application/pdf' });
  const blocked = await get(`/f/${key}`, c.ann);
  t.is(blocked.status, 409);
  t.is((await blocked.json()).error.code, 'file_not_accepted');
  t.is((await get(r.body.links.url)).status, 409, 'not even with a signed link');
  t.deepEqual((await links(c.v.token, [key])).body.links, []);

  const updated = next(c.v.socket, 'file.updated');
  const accepted = await c.ann.post(`/api/files/${key}/accept`);
  t.is(accepted.status, 200);
  t.is(accepted.body.status, 'available');
  t.like(await updated, { fileKey: key, status: 'available', conversationId: c.id });
  const msg = await k.server.db('messages').where({ id: r.body.message.id }).first();
  t.is(msg.payload.status, 'available', 'the stored message shows the decision');

  const res = await get(`/f/${key}`, c.ann);
  t.is(res.status, 200);
  t.is(res.headers.get('content-type'), 'application/pdf');
  t.is(res.headers.get('x-content-type-options'), 'nosniff');
  t.is(res.headers.get('content-security-policy'), "sandbox; default-src 'none'");
  t.regex(res.headers.get('cache-control')!, /^private/);
  t.is(
    res.headers.get('content-disposition'),
    `attachment; filename="__ Q1.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20Q1.pdf`,
    'RFC 6266, quotes dropped from the name',
  );
  t.deepEqual(Buffer.from(await res.arrayBuffer()), pdfBytes());
  const signed = (await links(c.v.token, [key])).body.links[0];
  t.is((await get(signed.url)).status, 200, 'the visitor downloads with a renewed link');

  // Refused: deleted from disk, 404 afterwards, and the visitor is told.
  const second = await visitorFile(c.v, c.id, { bytes: Buffer.from('name,qty\nshoe,2\n'), name: 'order.csv' });
  t.like(second.body.file, { status: 'held', mime: 'text/csv; charset=utf-8' });
  const row = await k.server.db('files').where({ key: second.body.file.key }).first();
  t.true(fs.existsSync(path.join(dataDir, row.storage_path)));
  const told = next(c.v.socket, 'message', (m) => m.message.kind === 'system');
  t.is((await c.ann.post(`/api/files/${second.body.file.key}/refuse`)).status, 200);
  t.like((await told).message.payload, { event: 'file.refused', fileKey: second.body.file.key });
  t.false(fs.existsSync(path.join(dataDir, row.storage_path)));
  t.is((await get(`/f/${second.body.file.key}`, c.ann)).status, 404);
  t.is((await c.ann.post(`/api/files/${second.body.file.key}/accept`)).status, 404);

  // 自动接收访客文件: the company setting skips the step (restored at once: chat-settings.ts is strict).
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({ autoAcceptVisitorFiles: true }) });
  const auto = await visitorFile(c.v, c.id, { bytes: Buffer.from('hello'), name: 'note.txt' });
  await k.server
    .db('companies')
    .where({ id: k.company.id })
    .update({ chat_settings: JSON.stringify({}) });
  t.is(auto.body.file.status, 'available');
  // Images from visitors need no decision: they were decoded and re-encoded.
  const img = await visitorFile(c.v, c.id, { bytes: await pngBytes(50, 50), name: 'shot.png' });
  t.is(img.body.file.status, 'available');
  await c.close();
});

test.serial('CONV-FILE-14 the type comes from the content: renamed programs, pages and scripts are refused', async (t) => {
  const c = await chat();
  const before = filesUnder(filesDir()).length;
  const cases: [string, Buffer][] = [
    ['cat.png', elfBytes()],
    ['report.pdf', peBytes()],
    ['setup.exe', peBytes()],
    ['page.txt', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['run.txt', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['photo.pdf', await pngBytes(20, 20)],
    ['notes.js', Buffer.from('console.log(1)')],
  ];
  for (const [name, bytes] of cases) {
    const r = await upload(k.url, '/api/files', { fields: { conversationId: c.id }, file: { bytes, name } }, c.ann);
    t.is(r.status, 400, name);
    t.is(r.body.error.code, 'validation_failed', name);
    t.is(r.body.error.fields[0].code, 'file_type_not_allowed', name);
  }
  t.is(filesUnder(filesDir()).length, before, 'nothing refused stays on disk');
  t.is(Number((await k.server.db('messages').where({ conversation_id: c.id }).whereIn('kind', ['file', 'image']).count('* as n').first())!.n), 0);
  const empty = await upload(k.url, '/api/files', { fields: { conversationId: c.id } }, c.ann);
  t.is(empty.body.error.fields[0].code, 'required');
  await c.close();
});

test.serial('CONV-FILE-14 an oversize upload (21 MB streamed) is refused and leaves no file on disk', async (t) => {
  const c = await chat();
  const before = filesUnder(filesDir()).length;
  const r = await streamUpload(k.url, '/api/files', 21 * 1024 * 1024, c.ann, { conversationId: String(c.id) });
  t.is(r.status, 400);
  t.is(r.body.error.fields[0].code, 'file_too_large');
  t.is(filesUnder(filesDir()).length, before);

  // A declared Content-Length over the cap is refused before the body is read.
  const early = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      k.url + '/api/files',
      {
        method: 'POST',
        headers: { origin: k.url, cookie: c.ann.cookie, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.write('--x\r\n');
  });
  t.is(early.status, 400);
  t.is(JSON.parse(early.body).error.fields[0].code, 'file_too_large');
  t.is(filesUnder(filesDir()).length, before);

  // An upload the client abandons halfway leaves nothing behind either.
  const boundary = 'y';
  const abandoned = http.request(k.url + '/api/files', {
    method: 'POST',
    headers: { origin: k.url, cookie: c.ann.cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(3 * 1024 * 1024) },
  });
  abandoned.on('error', () => undefined);
  abandoned.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\n\r\n`);
  abandoned.write(Buffer.alloc(1024 * 1024, 1));
  const settle = async (done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await settle(() => filesUnder(filesDir()).length > before);
  t.true(filesUnder(filesDir()).length > before, 'the partial upload was on disk');
  abandoned.destroy();
  await settle(() => filesUnder(filesDir()).length === before);
  t.is(filesUnder(filesDir()).length, before);
  await c.close();
});

test.serial('CONV-FILE-15 tenant isolation: company B cannot see or decide on company A files; unknown keys are 404', async (t) => {
  const c = await chat();
  const held = await visitorFile(c.v, c.id, { bytes: pdfBytes(), name: 'a.pdf' });
  const img = await upload(k.url, '/api/files', { fields: { conversationId: c.id }, file: { bytes: await pngBytes(30, 30), name: 'a.png' } }, c.ann);
  const b = await k.createCompany('Other');
  const bAdmin = await k.login('admin', undefined, b.publicId);
  for (const action of ['accept', 'refuse']) t.is((await bAdmin.post(`/api/files/${held.body.file.key}/${action}`)).status, 404, action);
  t.is((await k.server.db('files').where({ key: held.body.file.key }).first()).status, 'held');
  t.is((await get(`/f/${img.body.file.key}`, bAdmin)).status, 404);
  t.is((await get(`/f/${img.body.file.key}/thumb`, bAdmin)).status, 404);
  // B's visitor cannot renew links to A's files, nor upload into A's conversation.
  const bv = await visitorSocket(k.url, b.publicId);
  t.deepEqual((await k.client().post('/api/widget/files/links', { companyId: b.publicId, token: bv.token, keys: [img.body.file.key] })).body.links, []);
  const intrude = await upload(k.url, '/api/widget/files', {
    fields: { companyId: b.publicId, token: bv.token, conversationId: c.id },
    file: { bytes: pdfBytes(), name: 'x.pdf' },
  });
  t.is(intrude.status, 404);
  t.is((await upload(k.url, '/api/files', { fields: { conversationId: c.id }, file: { bytes: pdfBytes(), name: 'x.pdf' } }, bAdmin)).status, 404);
  const forged = await upload(k.url, '/api/widget/files', {
    fields: { companyId: k.company.publicId, token: 'x'.repeat(32), conversationId: c.id },
    file: { bytes: pdfBytes(), name: 'x.pdf' },
  });
  t.is(forged.status, 401);
  // Unknown keys: 404, never a 500.
  for (const key of ['A'.repeat(32), 'nope', '..%2F..%2Fetc%2Fpasswd', '%E4%BD%A0']) {
    t.is((await get(`/f/${key}`, c.ann)).status, 404, key);
    t.is((await get(`/f/${key}/thumb`)).status, 404, key);
    t.is((await c.ann.post(`/api/files/${key}/accept`)).status, 404, key);
  }
  t.is((await get('/f/%00', c.ann)).status, 400, 'a NUL in the path is bad input, not a server error');
  bv.socket.close();
  await c.close();
});
