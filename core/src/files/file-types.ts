import fs from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type/node';

import { FILE_GROUPS, type FileGroup } from './file-groups.ts';

export { FILE_GROUPS, type FileGroup };

interface Accepted {
  group: FileGroup;
  /** Name extensions that agree with the detected type. */
  exts: string[];
  /** The type served for it; by name extension where one detected type covers several (OLE2). */
  mime: string | Record<string, string>;
}

/**
 * Detected type (file-type's `ext`, or `txt`/`csv` for plain text) → what is
 * accepted. Anything else — executables, installers, scripts, HTML, SVG, XML —
 * is refused because it is simply not listed.
 */
const ACCEPTED: Record<string, Accepted> = {
  jpg: { group: 'images', exts: ['jpg', 'jpeg', 'jpe', 'jfif'], mime: 'image/jpeg' },
  png: { group: 'images', exts: ['png'], mime: 'image/png' },
  gif: { group: 'images', exts: ['gif'], mime: 'image/gif' },
  webp: { group: 'images', exts: ['webp'], mime: 'image/webp' },
  pdf: { group: 'documents', exts: ['pdf'], mime: 'application/pdf' },
  docx: { group: 'documents', exts: ['docx'], mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { group: 'documents', exts: ['xlsx'], mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  pptx: { group: 'documents', exts: ['pptx'], mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odt: { group: 'documents', exts: ['odt'], mime: 'application/vnd.oasis.opendocument.text' },
  ods: { group: 'documents', exts: ['ods'], mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  odp: { group: 'documents', exts: ['odp'], mime: 'application/vnd.oasis.opendocument.presentation' },
  rtf: { group: 'documents', exts: ['rtf'], mime: 'application/rtf' },
  // Legacy Office files are OLE2 containers, as are MSI installers: only these names are accepted.
  cfb: {
    group: 'documents',
    exts: ['doc', 'xls', 'ppt'],
    mime: { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' },
  },
  txt: { group: 'documents', exts: ['txt'], mime: 'text/plain; charset=utf-8' },
  csv: { group: 'documents', exts: ['csv'], mime: 'text/csv; charset=utf-8' },
  zip: { group: 'archives', exts: ['zip'], mime: 'application/zip' },
  '7z': { group: 'archives', exts: ['7z'], mime: 'application/x-7z-compressed' },
  rar: { group: 'archives', exts: ['rar'], mime: 'application/vnd.rar' },
  mp3: { group: 'media', exts: ['mp3'], mime: 'audio/mpeg' },
  m4a: { group: 'media', exts: ['m4a', 'mp4'], mime: 'audio/mp4' },
  mp4: { group: 'media', exts: ['mp4', 'm4v', 'm4a'], mime: 'video/mp4' },
  webm: { group: 'media', exts: ['webm'], mime: 'video/webm' },
};

export const IMAGE_TYPES = new Set(['jpg', 'png', 'gif', 'webp']);

export interface Sniffed {
  /** Detected type key of ACCEPTED. */
  type: string;
  group: FileGroup;
  mime: string;
  /** The name to store: the original, with the detected extension added when it had none. */
  name: string;
}

export type SniffResult = { ok: true; file: Sniffed } | { ok: false; reason: string };

const extOf = (name: string) => (/\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1] ?? '').toLowerCase();

/** A display name without path parts or control characters, at most 200 characters. */
export function cleanName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = [...base.replace(/[\u0000-\u001f\u007f"]/g, '').trim()].slice(-200).join('');
  return clean.replace(/^\.+/, '') || 'file';
}

/**
 * Plain text: valid UTF-8 without NUL bytes that does not look like markup
 * or a script (those would be a page or a program however they are named).
 */
async function sniffText(path: string): Promise<boolean> {
  const fh = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.includes(0)) return false;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    } catch {
      return false;
    }
    const start = text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .slice(0, 64)
      .toLowerCase();
    return !(start.startsWith('<') || start.startsWith('#!') || start.startsWith('@echo'));
  } finally {
    await fh.close();
  }
}

/** Detects the type from the content and checks it against the allowed groups and the name. */
export async function sniffFile(path: string, rawName: string, allowed: readonly FileGroup[]): Promise<SniffResult> {
  const name = cleanName(rawName);
  const ext = extOf(name);
  const detected = await fileTypeFromFile(path);
  const type = detected ? detected.ext : (await sniffText(path)) ? (ext === 'csv' ? 'csv' : 'txt') : undefined;
  const rule = type ? ACCEPTED[type] : undefined;
  if (!type || !rule) return { ok: false, reason: `Files of this type are not accepted${detected ? ` (${detected.mime})` : ''}` };
  if (!allowed.includes(rule.group)) return { ok: false, reason: `The company does not accept ${rule.group}` };
  if (ext && !rule.exts.includes(ext)) return { ok: false, reason: `The name ends in .${ext} but the content is ${type}` };
  // A text file or an OLE2 document needs its extension: nothing else tells what it is.
  if (!ext && (type === 'cfb' || type === 'csv')) return { ok: false, reason: 'The name needs an extension' };
  const mime = typeof rule.mime === 'string' ? rule.mime : rule.mime[ext];
  return { ok: true, file: { type, group: rule.group, mime, name: ext ? name : `${name}.${rule.exts[0]}` } };
}
