/**
 * Images and files in the chat: uploads with progress (POST /api/widget/files),
 * signed links for showing them (CONV-FILE-15), thumbnails that open a larger view.
 * Nothing from a message is ever parsed as markup: names go in with textContent.
 */
import { t } from './i18n.ts';

export interface FilePayload {
  fileKey?: string;
  name?: string;
  size?: number;
  status?: 'held' | 'available' | 'refused';
  thumbUrl?: string;
}
interface Link {
  url: string;
  thumbUrl?: string;
}

const links = new Map<string, Link>();
let auth: { companyId: string; token: () => string | undefined } = { companyId: '', token: () => undefined };
export const useFileAuth = (a: typeof auth) => (auth = a);
export const rememberLink = (key: string, l: Link) => links.set(key, l);

/** Fresh signed links for files not seen yet in this window (one request for all of them). */
export async function fetchLinks(keys: string[]): Promise<void> {
  const missing = [...new Set(keys)].filter((k) => !links.has(k));
  if (!missing.length) return;
  const r = await fetch('/api/widget/files/links', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: auth.companyId, token: auth.token(), keys: missing }),
  }).catch(() => null);
  if (!r?.ok) return;
  for (const l of ((await r.json()) as { links: (Link & { key: string })[] }).links) links.set(l.key, l);
}

export interface Uploaded {
  message: unknown;
  file: { key: string };
  links: Link;
}

/** Sends one file with progress; rejects with the server's message (size, type) so it can be shown as is. */
export function upload(file: File, conversationId: number, clientId: string, onProgress: (pct: number) => void): Promise<Uploaded> {
  const body = new FormData();
  body.append('companyId', auth.companyId);
  body.append('token', auth.token() ?? '');
  body.append('conversationId', String(conversationId));
  body.append('clientId', clientId);
  body.append('file', file, file.name || 'screenshot.png');
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/widget/files');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let res: any = null;
      try {
        res = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a proxy's page */
      }
      if (xhr.status < 300 && res) {
        links.set(res.file.key, res.links);
        resolve(res);
      } else reject(new Error(res?.error?.fields?.[0]?.message || res?.error?.message || t('failed')));
    };
    xhr.onerror = () => reject(new Error(t('failed')));
    xhr.send(body);
  });
}

const human = (n = 0) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

/** The body of an image or file message; `preview` is a local blob URL while the upload runs. */
export function drawFile(box: HTMLElement, kind: 'image' | 'file', p: FilePayload, preview?: string) {
  box.replaceChildren();
  const link = p.fileKey ? links.get(p.fileKey) : undefined;
  if (p.status === 'refused' || p.status === 'held') {
    const note = document.createElement('span');
    note.className = 'file-note';
    note.textContent = `${p.name ?? ''} — ${t(p.status === 'held' ? 'held' : 'refused')}`;
    return box.append(note);
  }
  if (kind === 'image') {
    const src = preview ?? link?.thumbUrl ?? link?.url;
    if (!src) return;
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'thumb';
    btn.setAttribute('aria-label', t('enlarge'));
    const img = document.createElement('img');
    img.src = src;
    img.alt = p.name ?? '';
    btn.append(img);
    btn.addEventListener('click', () => enlarge(link?.url ?? src, p.name ?? ''));
    return box.append(btn);
  }
  const a = document.createElement('a');
  a.className = 'file';
  a.textContent = `📎 ${p.name ?? ''} (${human(p.size)})`;
  if (link) {
    a.href = link.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  box.append(a);
}

function enlarge(src: string, alt: string) {
  const layer = document.createElement('div');
  layer.className = 'lightbox';
  layer.setAttribute('role', 'dialog');
  layer.tabIndex = -1;
  const img = document.createElement('img');
  img.src = src;
  img.alt = alt;
  layer.append(img);
  const close = () => layer.remove();
  layer.addEventListener('click', close);
  layer.addEventListener('keydown', (e) => e.key === 'Escape' && close());
  document.body.append(layer);
  layer.focus();
}
