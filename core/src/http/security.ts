import cors from '@koa/cors';
import helmet from 'koa-helmet';
import type { Context, Middleware } from 'koa';

/** Paths a widget on a customer's website calls from another origin (no cookies). */
const CROSS_ORIGIN_PATHS = /^\/(api\/widget|api\/public|widget)\//;

/** The chat window page: customers embed it in their own sites. */
const FRAME_PATH = /^\/widget\/frame\.html$/;

function helmetWith(frameAncestors: string[]): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        // Element Plus sets inline styles on elements.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'frame-ancestors': frameAncestors,
      },
    },
    // The chat frame is embedded by customers' sites; everything else keeps the defaults.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // X-Frame-Options cannot say "any site": the frame relies on CSP frame-ancestors alone.
    ...(frameAncestors.includes('*') ? { xFrameOptions: false as const } : {}),
  }) as unknown as Middleware;
}

export function securityHeaders(): Middleware {
  const site = helmetWith(["'self'"]);
  const frame = helmetWith(['*']);
  return (ctx, next) => (FRAME_PATH.test(ctx.path) ? frame(ctx, next) : site(ctx, next));
}

/** CORS only for the widget's endpoints; the console API is same-origin and sends no CORS headers. */
export function widgetCors(): Middleware {
  const handler = cors({ origin: (ctx: Context) => ctx.get('origin') || '*', credentials: false, maxAge: 600 });
  return (ctx, next) => (CROSS_ORIGIN_PATHS.test(ctx.path) ? handler(ctx, next) : next());
}
