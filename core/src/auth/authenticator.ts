import type { Context } from 'koa';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { forbiddenCode, unauthorized } from '../http/errors.ts';
import type { AuthInfo } from './auth-info.ts';
import { LoginIpService } from './login-ip-service.ts';
import { SessionService } from './session-service.ts';

export const SESSION_COOKIE = 'kefu_session';

/**
 * Bus channel `{ agentId }`: an agent's rights, name or state changed. Nodes
 * that keep an agent's auth for a live socket drop their copy at once.
 */
export const AGENT_AUTH_CHANGED = 'agent.auth.changed';

/** Reads the session cookie or bearer token; used by HTTP routes and the /agent socket handshake. */
export function tokenFrom(cookieHeader: string | undefined, authorization: string | undefined): { token: string; via: 'cookie' | 'bearer' } | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = cookieHeader
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === SESSION_COOKIE)?.[1];
  return cookie ? { token: decodeURIComponent(cookie), via: 'cookie' } : null;
}

@injectable()
export class Authenticator {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(SessionService) private readonly sessions: SessionService,
    @inject(LoginIpService) private readonly loginIp: LoginIpService,
  ) {}

  /** Koa: authenticates once per request (memoised on ctx.state) and checks Origin for cookie writes. */
  async fromContext(ctx: Context): Promise<AuthInfo | null> {
    if (ctx.state.authResolved) return ctx.state.auth ?? null;
    ctx.state.authResolved = true;
    const found = tokenFrom(ctx.get('cookie'), ctx.get('authorization'));
    if (!found) return null;
    if (found.via === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) {
      const origin = ctx.get('origin');
      // Koa 3's ctx.origin echoes the Origin header, so the server's own origin is built from Host.
      const allowed = [`${ctx.protocol}://${ctx.host}`, ctx.state.publicOrigin].filter(Boolean);
      if (!origin || !allowed.includes(origin)) throw forbiddenCode('bad_origin', 'Cross-site request refused');
    }
    const auth = await this.fromToken(found.token);
    // LOGINIP-SESSIONS-4: a session whose address moved outside the company's list ends at its next request.
    if (auth && !(await this.loginIp.allows(auth.companyId, ctx.state.ip))) {
      await this.sessions.end(auth.companyId, { sessionId: auth.sessionId }, 'login_ip_not_allowed');
      throw unauthorized('login_ip_not_allowed', `Signed out: ${ctx.state.ip} is not in the company's login IP list`, { ip: ctx.state.ip });
    }
    ctx.state.auth = auth;
    return auth;
  }

  async fromToken(token: string): Promise<AuthInfo | null> {
    const s = await this.sessions.findLive(token);
    if (!s) return null;
    return this.forAgent(s.company_id, s.agent_id, { id: s.id, kind: s.kind, restriction: s.restriction });
  }

  /**
   * The agent's rights as they are now, or null for a disabled or deleted agent or an inactive company.
   * Work done later for an agent (export jobs, HISTORY-EXPORTJOB-11) runs without a session.
   */
  async forAgent(
    companyId: number,
    agentId: number,
    session: { id: number; kind: AuthInfo['sessionKind']; restriction: string | null } = { id: 0, kind: 'api', restriction: null },
  ): Promise<AuthInfo | null> {
    const row = await this.db('agents as a')
      .join('companies as c', 'c.id', 'a.company_id')
      .where('a.id', agentId)
      .where('a.company_id', companyId)
      .select('a.*', 'c.public_id', 'c.status as company_status')
      .first();
    if (!row || row.disabled_at || row.deleted_at || row.company_status !== 'active') return null;
    const permissions: string[] = row.permissions ?? [];
    const isAdmin = row.role === 'admin';
    return {
      sessionId: session.id,
      sessionKind: session.kind,
      restriction: session.restriction,
      companyId,
      companyPublicId: Number(row.public_id),
      agent: {
        id: Number(row.id),
        agentId: row.agent_id,
        name: row.name,
        nickname: row.nickname,
        role: row.role,
        isPrimary: row.is_primary,
        permissions,
        language: row.language,
      },
      tenant: new Tenant(this.db, companyId),
      can: (p: string) => isAdmin || permissions.includes(p),
    };
  }
}
