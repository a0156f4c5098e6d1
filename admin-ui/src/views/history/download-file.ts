import { ApiError } from '@/api/client';
import type { ExportJob } from '@/api/exports';

/** The name the server gave in Content-Disposition (the UTF-8 form first), else `fallback`. */
function fileName(header: string | null, fallback: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (utf8) return decodeURIComponent(utf8[1]);
  return /filename="([^"]+)"/i.exec(header ?? '')?.[1] ?? fallback;
}

/**
 * Downloads a streamed export through fetch (not a bare link) so refusals such as
 * `409 export_too_large` come back as errors and the bytes received can be shown while it streams.
 * A large export answers JSON instead: the background job that will write the file (HISTORY-EXPORTJOB-11).
 */
export async function downloadFile(url: string, onBytes: (received: number) => void, fallbackName: string): Promise<{ name: string } | { job: ExportJob }> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const e = body?.error;
    throw new ApiError(response.status, e?.code ?? `http_${response.status}`, e?.message ?? response.statusText, e?.fields, e);
  }
  if (response.headers.get('Content-Type')?.startsWith('application/json')) return { job: ((await response.json()) as { job: ExportJob }).job };
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onBytes(received);
  }
  const name = fileName(response.headers.get('Content-Disposition'), fallbackName);
  const href = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: response.headers.get('Content-Type') ?? 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { name };
}
