import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z, ZodType } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AppError, forbidden, forbiddenCode, pluginDisabled, unauthorized } from './errors.ts';
import type { OpenApiRegistry } from './openapi.ts';
import { parseOr400 } from './validate.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Infer<S> = S extends ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends ZodType | undefined, Q extends ZodType | undefined, P extends ZodType | undefined, R> {
  method: Method;
  path: string;
  summary: string;
  tags?: string[];
  /** `agent`: a signed-in agent; `public`: anyone; `operator`: KEFU_OPERATOR_TOKEN. */
  auth: 'agent' | 'public' | 'operator';
  /** A permission name, or `admin` for abilities no permission grants (AGENT-ROLE-9). */
  permission?: string;
  /** Restricted sessions (e.g. OTP binding required) may call this route. */
  allowRestricted?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  response?: ZodType<R>;
  status?: number;
  handler: (input: { body: Infer<B>; query: Infer<Q>; params: Infer<P>; ctx: Context; auth: R extends never ? never : AuthInfo }) => Promise<R> | R;
}

export interface ApiRouterDeps {
  openapi: OpenApiRegistry;
  authenticate: (ctx: Context) => Promise<AuthInfo | null>;
  isOperator: (ctx: Context) => boolean;
  /** Set for a plugin's router: routes answer plugin_disabled when the caller's company has not enabled it. */
  plugin?: { id: string; isEnabled: (companyId: number) => boolean | Promise<boolean> };
}

/**
 * Declares routes with their zod schemas; the same declaration validates
 * requests, checks auth and permission, and feeds the OpenAPI document.
 */
export class ApiRouter {
  constructor(
    readonly router: Router,
    private readonly deps: ApiRouterDeps,
    private readonly prefix = '',
  ) {}

  route<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined, R = unknown>(
    spec: RouteSpec<B, Q, P, R>,
  ): void {
    const { deps } = this;
    deps.openapi.add({ ...spec, path: this.prefix + spec.path, tags: spec.tags ?? (deps.plugin ? [`plugin:${deps.plugin.id}`] : undefined) });
    this.router[spec.method](spec.path, async (ctx: Context) => {
      const auth = await this.authorize(spec, ctx);
      const params = spec.params ? parseOr400(spec.params, ctx.params, 'params') : undefined;
      const query = spec.query ? parseOr400(spec.query, ctx.query, 'query') : undefined;
      const body = spec.body ? parseOr400(spec.body, (ctx.request as { body?: unknown }).body ?? {}, '') : undefined;
      const result = await spec.handler({ body, query, params, ctx, auth: auth as never } as never);
      if (result === undefined) {
        ctx.status = 204;
        return;
      }
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
  }

  private async authorize(spec: RouteSpec<any, any, any, any>, ctx: Context): Promise<AuthInfo | null> {
    if (spec.auth === 'public') return (await this.deps.authenticate(ctx).catch(() => null)) ?? null;
    if (spec.auth === 'operator') {
      if (!this.deps.isOperator(ctx)) throw unauthorized('operator_token_required', 'Operator token required');
      return null;
    }
    const auth = await this.deps.authenticate(ctx);
    if (!auth) throw unauthorized();
    if (auth.restriction && !spec.allowRestricted) throw forbiddenCode(auth.restriction, `Session restricted: ${auth.restriction}`);
    const plugin = this.deps.plugin;
    if (plugin && !(await plugin.isEnabled(auth.companyId))) throw pluginDisabled(plugin.id);
    if (spec.permission === 'admin' && auth.agent.role !== 'admin')
      throw new AppError(403, 'forbidden', 'Administrator role required', { permission: 'admin' });
    if (spec.permission && spec.permission !== 'admin' && !auth.can(spec.permission)) throw forbidden(spec.permission);
    ctx.state.auth = auth;
    return auth;
  }
}
