import { Readable } from 'node:stream';
import type { MessageView } from '../protocol/message-schemas.ts';
import { agentChain, messageContent, type ExportConversation, type ExportLabels } from './export-cells.ts';

/** Everything stored is shown as text, never rendered (SPEC "Text"). */
const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export interface HtmlBatch {
  conversations: ExportConversation[];
  messages: Map<number, MessageView[]>;
}

const style = `body{font:14px/1.5 system-ui,sans-serif;margin:2em;color:#222}section{border-top:1px solid #ccc;padding:1em 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:#666}ol{list-style:none;padding:0}
li{margin:.4em 0}.visitor b{color:#1565c0}.agent b,.plugin b{color:#2e7d32}.whisper{color:#8d6e63;font-style:italic}time{color:#999;margin-right:.5em}`;

/** One self-contained HTML file: each conversation's header and transcript, written as batches arrive. */
export function htmlStream(title: string, batches: AsyncIterable<HtmlBatch>, time: (iso: string | null) => string, l: ExportLabels): Readable {
  async function* parts() {
    yield `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${style}</style></head><body><h1>${esc(title)}</h1>`;
    for await (const batch of batches)
      for (const c of batch.conversations) {
        const r = c.row;
        const fields: [string, unknown][] = [
          [l.list[0], r.id],
          [l.list[1], time(r.startedAt)],
          [l.list[2], time(r.endedAt)],
          [l.list[4], r.visitor.name ?? r.visitor.number],
          [l.list[5], agentChain(r)],
          [l.list[6], r.group?.name],
          [l.list[7], r.channel],
          [l.list[8], r.topic],
          [l.list[9], r.evaluation ? l[r.evaluation] : ''],
          [l.list[18], r.note],
        ];
        let html = `<section id="c${r.id}"><h2>#${r.id}</h2><dl>${fields.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl><ol>`;
        for (const m of batch.messages.get(r.id) ?? [])
          html += `<li class="${esc(m.kind === 'whisper' ? 'whisper' : m.senderKind)}"><time>${esc(time(m.createdAt))}</time><b>${esc(m.senderName ?? m.senderKind)}</b>: ${esc(messageContent(m))}</li>`;
        yield html + '</ol></section>';
      }
    yield '</body></html>';
  }
  return Readable.from(parts());
}
