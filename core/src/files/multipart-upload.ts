import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { fieldError } from '../http/errors.ts';

/** Room for the multipart envelope and the small fields around the file. */
const ENVELOPE = 64 * 1024;

export interface ReceivedUpload {
  fields: Record<string, string>;
  file?: { path: string; name: string; size: number };
}

export const fileTooLarge = (maxBytes: number) => fieldError('file', 'file_too_large', `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`);

/**
 * Streams the multipart field `file` to `tempPath` (never into memory) and
 * collects the small text fields. Over `maxBytes` the partial file is deleted
 * at once and the rest of the body is read and dropped, so the client gets a
 * clean answer; a client that keeps sending far beyond the cap is cut off.
 */
export async function receiveUpload(req: http.IncomingMessage, tempPath: string, maxBytes: number): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
    throw fieldError('file', 'required', 'Send multipart/form-data with a field named file');
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes + ENVELOPE) throw fileTooLarge(maxBytes);

  const fields: Record<string, string> = {};
  let file: ReceivedUpload['file'];
  let tooLarge = false;
  let writing: Promise<void> = Promise.resolve();
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096, parts: 30 } });
  } catch {
    throw fieldError('file', 'required', 'Malformed multipart body');
  }

  let received = 0;
  const ceiling = 2 * maxBytes + ENVELOPE;
  const done = new Promise<void>((resolve, reject) => {
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      // Browsers send the name as UTF-8 with only `"`, CR and LF percent-encoded (WHATWG multipart/form-data).
      const filename = (info.filename ?? '').replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
      const current = { path: tempPath, name: filename, size: 0 };
      file = current;
      stream.on('data', (chunk: Buffer) => (current.size += chunk.length));
      stream.on('limit', () => {
        tooLarge = true;
      });
      writing = pipeline(stream, fs.createWriteStream(tempPath)).then(async () => {
        if (tooLarge) await fsp.rm(tempPath, { force: true });
      });
      // Awaited below; marked handled now so an early failure is not an unhandled rejection.
      writing.catch(() => undefined);
    });
    // Stops parsing; destroying busboy also ends the file stream, so the disk write settles.
    const fail = (err: Error) => {
      req.unpipe(bb);
      bb.destroy();
      reject(err);
    };
    bb.on('close', () => resolve());
    bb.on('error', (err: Error) => reject(fieldError('file', 'required', `Malformed multipart body: ${err.message}`)));
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > ceiling) {
        fail(fileTooLarge(maxBytes));
        req.destroy();
      }
    });
    req.on('close', () => {
      if (!req.complete) fail(fieldError('file', 'required', 'Upload aborted'));
    });
  });
  req.pipe(bb);
  try {
    await done;
    await writing;
  } catch (err) {
    await writing.catch(() => undefined);
    await fsp.rm(tempPath, { force: true });
    throw err;
  }
  if (tooLarge) throw fileTooLarge(maxBytes);
  return { fields, file };
}
