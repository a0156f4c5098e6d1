/** A readable API reference rendered on the server from the OpenAPI document (no CDN, no script). */
export function renderDocsPage(doc: any): string {
  const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? [])
        .map(
          (p: any) =>
            `<li><code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? ', required' : ''}</small> <code>${esc(JSON.stringify(p.schema))}</code></li>`,
        )
        .join('');
      const body = op.requestBody
        ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2))}</pre></details>`
        : '';
      const ok = Object.entries<any>(op.responses).find(([k]) => k.startsWith('2'));
      const res = ok?.[1]?.content
        ? `<details><summary>Response ${esc(ok[0])}</summary><pre>${esc(JSON.stringify(ok[1].content['application/json'].schema, null, 2))}</pre></details>`
        : '';
      const auth = op.security?.length ? (op['x-permission'] ? `permission <code>${esc(op['x-permission'])}</code>` : 'signed in') : 'public';
      const html = `<section id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3><p>${esc(op.summary)} <small>(${auth})</small></p>${params ? `<ul>${params}</ul>` : ''}${body}${res}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  const sections = [...byTag.entries()].map(([t, items]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${items.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Kefu API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}h3{font-size:1rem;margin:1.2rem 0 .2rem}pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:12px}.m{display:inline-block;min-width:4.5em;font-size:12px;padding:2px 6px;border-radius:4px;color:#fff;background:#57606a}.get{background:#0969da}.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}section{border-bottom:1px solid #eee;padding-bottom:.5rem}</style></head>
<body><h1>Kefu API reference</h1><p>Version ${esc(doc.info.version)}. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>{"error": {"code", "message", "fields?"}}</code>.</p><nav>${nav}</nav>${sections}</body></html>`;
}
