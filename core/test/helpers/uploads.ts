import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { TestClient } from '@kefu/core/testing';

/** A real PNG of the given size. */
export const pngBytes = (width = 800, height = 600) =>
  sharp({ create: { width, height, channels: 3, background: '#3366ff' } })
    .png()
    .toBuffer();

/** A PNG of random pixels, side × side: it hardly compresses, so it is larger than the image caps (300 px ≈ 270 KB). */
export const noisePng = (side: number) =>
  sharp(Buffer.from(Array.from({ length: side * side * 3 }, () => Math.floor(Math.random() * 256))), { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();

/** A tiny but well-formed PDF (file-type knows it by `%PDF`). */
export const pdfBytes = () =>
  Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** The start of a Linux program and of a Windows one. */
export const elfBytes = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]);
export const peBytes = () => {
  const b = Buffer.alloc(256, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
};

export interface Upload {
  file?: { bytes: Buffer; name: string; type?: string };
  fields?: Record<string, string | number>;
  headers?: Record<string, string>;
}

/** POSTs multipart/form-data with fetch, as a browser's FormData upload does. */
export async function upload(baseUrl: string, route: string, u: Upload, client?: TestClient) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(u.fields ?? {})) fd.append(k, String(v));
  if (u.file) fd.append('file', new Blob([new Uint8Array(u.file.bytes)], { type: u.file.type ?? 'application/octet-stream' }), u.file.name);
  const headers: Record<string, string> = { origin: baseUrl, ...(client?.cookie ? { cookie: client.cookie } : {}), ...u.headers };
  const res = await fetch(baseUrl + route, { method: 'POST', body: fd, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
}

/** Streams `size` bytes of file content in 64 KB chunks with no Content-Length (chunked). */
export async function streamUpload(baseUrl: string, route: string, size: number, client: TestClient, fields: Record<string, string> = {}) {
  const boundary = '----kefu' + Date.now();
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const parts = [
    Buffer.from(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\n`),
  ];
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x50);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (parts.length) return controller.enqueue(parts.shift()!);
      if (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        return controller.enqueue(chunk.subarray(0, n));
      }
      controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
  });
  const res = await fetch(baseUrl + route, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { origin: baseUrl, cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  } as RequestInit);
  return { status: res.status, body: await res.json() };
}

/** Every regular file under a folder (recursively). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
