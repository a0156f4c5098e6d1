import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import send from 'koa-send';
import type { Knex } from 'knex';
import type { Context, Next } from 'koa';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const adminDist = path.join(repoRoot, 'admin-ui', 'dist');
export const widgetDist = path.join(repoRoot, 'widget', 'dist');

/**
 * The demo page with the widget embedded for a company: `?c=<public ID>`, else the
 * first company. Its inline snippet stub runs under the site CSP via a per-response nonce.
 */
async function demoPage(ctx: Context, db: Knex) {
  const asked = String(ctx.query.c ?? '');
  const first = /^\d{1,12}$/.test(asked) ? null : await db('companies').orderBy('id').first('public_id');
  const company = /^\d{1,12}$/.test(asked) ? asked : first ? String(first.public_id) : '';
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = ctx.response.get('Content-Security-Policy');
  if (csp) ctx.set('Content-Security-Policy', csp.replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`));
  ctx.type = 'html';
  ctx.body = fs
    .readFileSync(path.join(import.meta.dirname, 'demo.html'), 'utf8')
    .replaceAll('{{COMPANY_ID}}', company)
    .replaceAll('{{NONCE}}', nonce);
}

/** Serves the built console (SPA fallback to index.html), the widget and the demo page. */
export function staticRoutes(db: Knex) {
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/socket.io')) return next();
    if (ctx.path === '/demo' || ctx.path === '/demo/') return demoPage(ctx, db);
    if (ctx.path.startsWith('/widget/')) {
      if (fs.existsSync(widgetDist)) await send(ctx, ctx.path.slice('/widget/'.length), { root: widgetDist, immutable: false });
      return next();
    }
    if (!fs.existsSync(path.join(adminDist, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text';
      ctx.body = 'The console is not built yet: run `npm run build:ui` (npm start does this for you).';
      return;
    }
    const file = ctx.path.replace(/^\/+/, '');
    if (file && fs.existsSync(path.join(adminDist, file)) && fs.statSync(path.join(adminDist, file)).isFile()) {
      await send(ctx, file, { root: adminDist, maxage: file.startsWith('assets/') ? 365 * 86400_000 : 0, immutable: file.startsWith('assets/') });
      return;
    }
    // Client-side routes of the console.
    await send(ctx, 'index.html', { root: adminDist });
  };
}
