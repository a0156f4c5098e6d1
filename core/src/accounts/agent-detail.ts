import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import { SessionService } from '../auth/session-service.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { agentRow } from './agent-schemas.ts';
import { AgentService } from './agent-service.ts';

/** A presence row older than this is a lost console: 离线 (MAIN-PRESENCE-7). */
const PRESENCE_TTL_MS = 30_000;

export const agentDetailView = z.object({
  agent: agentRow,
  status: z.enum(['online', 'busy', 'away', 'invisible', 'offline']),
  statusSince: z.string().nullable(),
  load: z.number().describe('Conversations the agent serves now'),
  acceptedToday: z.number().describe('Conversations accepted since midnight in the company time zone'),
  sessions: z.array(z.object({ id: z.number(), method: z.string().nullable(), ip: z.string().nullable(), createdAt: z.string(), lastActiveAt: z.string() })),
  loginLog: z.array(
    z.object({ id: z.number(), at: z.string(), result: z.string(), reason: z.string().nullable(), ip: z.string().nullable(), method: z.string().nullable() }),
  ),
});

/** 客服详情 (SPEC AGENT-DETAIL-2): the agent with their live state, sessions and last 10 login-log entries. */
@injectable()
export class AgentDetailService {
  constructor(
    @inject(AgentService) private readonly agents: AgentService,
    @inject(SessionService) private readonly sessions: SessionService,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async detail(t: Tenant, id: number): Promise<z.infer<typeof agentDetailView>> {
    const agent = await this.agents.get(t, id);
    const now = this.clock.now();
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('timezone');
    const [presence, lastChange, [{ load }], [{ today }], sessions, log] = await Promise.all([
      t.q('agent_presence').where({ agent_id: id }).first('status', 'heartbeat_at'),
      t.q('agent_status_log').where({ agent_id: id }).orderBy('created_at', 'desc').first('created_at'),
      t.q('conversations').where({ agent_id: id, status: 'active' }).count('* as load'),
      t
        .q('conversations')
        .where({ agent_id: id })
        .whereRaw("accepted_at >= (date_trunc('day', ?::timestamptz at time zone ?) at time zone ?)", [now, company.timezone, company.timezone])
        .count('* as today'),
      this.sessions.listForAgent(t, id),
      t.q('login_log').where({ agent_id: id }).orderBy('id', 'desc').limit(10).select('id', 'created_at', 'result', 'reason', 'ip', 'method'),
    ]);
    const live = presence?.heartbeat_at && now.getTime() - new Date(presence.heartbeat_at).getTime() < PRESENCE_TTL_MS;
    return {
      agent,
      status: live ? presence.status : 'offline',
      statusSince: lastChange ? new Date(lastChange.created_at).toISOString() : null,
      load: Number(load),
      acceptedToday: Number(today),
      sessions: sessions.map(({ id: sid, method, ip, createdAt, lastActiveAt }) => ({ id: sid, method, ip, createdAt, lastActiveAt })),
      loginLog: log.map((r: any) => ({
        id: Number(r.id),
        at: new Date(r.created_at).toISOString(),
        result: r.result,
        reason: r.reason,
        ip: r.ip,
        method: r.method,
      })),
    };
  }
}
