import { AppError, conflict, forbidden, notFound, type AuthInfo, type PluginContext } from '@kefu/core/plugin';
import { obliged } from './binding-service.ts';
import type { OtpSettings, OtpStore } from './otp-store.ts';

export type BindingState = 'none' | 'pending' | 'bound';
export interface OverviewFilter {
  state?: BindingState;
  q?: string;
  page: number;
  pageSize: number;
}

export interface OverviewItem {
  id: number;
  agentId: string;
  name: string;
  role: 'admin' | 'agent';
  state: BindingState;
  boundAt: string | null;
  lastUsedAt: string | null;
  recoveryCodesLeft: number;
  obliged: boolean;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** Company side: policy, binding overview, resets (OTP-POLICY-9, OTP-OVERVIEW-11, OTP-RESET-10). */
export class ManageService {
  constructor(
    private readonly ctx: PluginContext,
    private readonly store: OtpStore,
  ) {}

  async updateSettings(auth: AuthInfo, patch: Partial<OtpSettings>): Promise<OtpSettings> {
    const old = await this.store.settings(auth.companyId);
    const next = { ...old, ...patch };
    await this.store.saveSettings(auth.companyId, next);
    await this.ctx.accounts.audit(auth.companyId, { actor: auth.agent.id, action: 'otp.settings', old, new: next });
    return next;
  }

  /** Every agent of the company with the state of their binding; never a secret. */
  async overview(companyId: number, f: OverviewFilter, all = false): Promise<{ total: number; policy: OtpSettings['policy']; items: OverviewItem[] }> {
    const settings = await this.store.settings(companyId);
    const now = this.ctx.clock.now();
    const base = this.ctx
      .tenant(companyId)
      .q('agents as a')
      .whereNull('a.deleted_at')
      .leftJoin('otp_bindings as ba', function () {
        this.on('ba.agent_id', 'a.id').andOnVal('ba.status', 'active');
      })
      .leftJoin('otp_bindings as bp', function () {
        this.on('bp.agent_id', 'a.id').andOnVal('bp.status', 'pending').andOnVal('bp.expires_at', '>', now);
      });
    if (f.state === 'bound') base.whereNotNull('ba.id');
    if (f.state === 'pending') base.whereNull('ba.id').whereNotNull('bp.id');
    if (f.state === 'none') base.whereNull('ba.id').whereNull('bp.id');
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      base.where((w) => w.where('a.agent_id_lower', 'like', like).orWhereRaw('lower(a.name) like ?', [like]));
    }
    const [{ n }] = await base.clone().count<{ n: string }[]>('* as n');
    const q = base
      .select('a.id', 'a.agent_id', 'a.name', 'a.role', 'ba.id as active_id', 'ba.bound_at', 'ba.last_used_at', 'bp.id as pending_id')
      .select(
        this.ctx.db.raw(
          '(select count(*) from otp_recovery_codes r where r.agent_id = a.id and r.company_id = a.company_id and r.used_at is null) as recovery_left',
        ),
      )
      .orderBy('a.id');
    if (!all) q.limit(f.pageSize).offset((f.page - 1) * f.pageSize);
    const rows = await q;
    return {
      total: Number(n),
      policy: settings.policy,
      items: rows.map((r: any): OverviewItem => ({
        id: Number(r.id),
        agentId: r.agent_id as string,
        name: r.name as string,
        role: r.role,
        state: r.active_id ? 'bound' : r.pending_id ? 'pending' : 'none',
        boundAt: iso(r.bound_at),
        lastUsedAt: iso(r.last_used_at),
        recoveryCodesLeft: r.active_id ? Number(r.recovery_left) : 0,
        obliged: obliged(settings, r.role),
      })),
    };
  }

  /** CSV of the overview, cells that could start a formula written as text. */
  async exportCsv(companyId: number, state?: BindingState): Promise<string> {
    const { items } = await this.overview(companyId, { state, page: 1, pageSize: 0 }, true);
    const cell = (v: unknown) => {
      let s = v == null ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
      return `"${s.replace(/"/g, '""')}"`;
    };
    const head = ['agentId', 'name', 'role', 'state', 'boundAt', 'lastUsedAt', 'recoveryCodesLeft', 'obliged'];
    const lines = items.map((i) => [i.agentId, i.name, i.role, i.state, i.boundAt, i.lastUsedAt, i.recoveryCodesLeft, i.obliged].map(cell).join(','));
    return '\uFEFF' + [head.map(cell).join(','), ...lines].join('\r\n') + '\r\n';
  }

  /** OTP-RESET-10: an admin, or an otp.manage holder for non-admin agents, after re-entering their password. */
  async reset(actor: AuthInfo, targetPk: number, password: string) {
    const { companyId } = actor;
    const target = await this.ctx.tenant(companyId).q('agents').where({ id: targetPk }).whereNull('deleted_at').first();
    if (!target) throw notFound('No such agent');
    if (target.role === 'admin' && actor.agent.role !== 'admin') throw forbidden('admin', 'Only administrators reset an administrator’s dynamic password');
    if (!(await this.ctx.accounts.verifyPassword(companyId, actor.agent.id, password))) throw new AppError(401, 'reauth_failed', 'The password is incorrect');
    return this.resetAgent(companyId, { id: targetPk, agentId: target.agent_id }, actor.agent.id);
  }

  /** Removes the binding, ends the agent's sessions, writes the audit and login-log entries. */
  async resetAgent(companyId: number, target: { id: number; agentId: string }, actorPk: number | null) {
    const removed = await this.store.removeAll(companyId, target.id);
    if (!removed) throw conflict('otp_not_bound', 'This agent ID has no dynamic password');
    const endedSessions = await this.ctx.accounts.endSessions(companyId, target.id, 'otp_reset');
    const by = actorPk === null ? 'the operator' : 'an administrator';
    await this.ctx.accounts.audit(companyId, { actor: actorPk, action: 'otp.reset', target: target.agentId });
    await this.ctx.accounts.loginEvent(companyId, {
      agentId: target.id,
      actorAgentId: actorPk,
      summary: `Dynamic password reset by ${by}`,
      reason: 'otp_reset',
    });
    return { endedSessions };
  }

  /** Operator: reset any agent's binding, e.g. for a company whose only admin lost the phone. */
  async operatorReset(companyPublicId: number, agentId: string) {
    const company = await this.ctx.db('companies').where({ public_id: companyPublicId }).first('id');
    if (!company) throw notFound('No such company');
    const companyId = Number(company.id);
    const a = await this.ctx.tenant(companyId).q('agents').where({ agent_id_lower: agentId.toLowerCase() }).whereNull('deleted_at').first('id', 'agent_id');
    if (!a) throw notFound('No such agent');
    return this.resetAgent(companyId, { id: Number(a.id), agentId: a.agent_id }, null);
  }
}
