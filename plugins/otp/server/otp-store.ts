import { conflict, type PluginContext } from '@kefu/core/plugin';

export type Policy = 'none' | 'admins' | 'all';
export interface OtpSettings {
  policy: Policy;
  issuer: string;
  drift: number;
}
export const DEFAULT_SETTINGS: OtpSettings = { policy: 'none', issuer: 'Kefu', drift: 1 };

export interface BindingRow {
  id: number;
  agentId: number;
  status: 'pending' | 'active';
  secretSealed: string;
  attempts: number;
  createdAt: Date;
  expiresAt: Date | null;
  boundAt: Date | null;
  lastStep: number;
  lastUsedAt: Date | null;
}

export interface RecoveryRow {
  id: number;
  salt: string;
  hash: string;
  usedAt: Date | null;
}

const date = (v: unknown) => (v == null ? null : new Date(v as string));
const toBinding = (r: any): BindingRow => ({
  id: Number(r.id),
  agentId: Number(r.agent_id),
  status: r.status,
  secretSealed: r.secret_sealed,
  attempts: Number(r.attempts),
  createdAt: new Date(r.created_at),
  expiresAt: date(r.expires_at),
  boundAt: date(r.bound_at),
  lastStep: Number(r.last_step),
  lastUsedAt: date(r.last_used_at),
});

/** Every query of the plugin's tables; all scoped by company through `ctx.tenant`. */
export class OtpStore {
  constructor(private readonly ctx: PluginContext) {}

  private t(companyId: number) {
    return this.ctx.tenant(companyId);
  }

  async settings(companyId: number): Promise<OtpSettings> {
    const r = await this.t(companyId).q('otp_settings').first();
    return r ? { policy: r.policy, issuer: r.issuer, drift: Number(r.drift) } : { ...DEFAULT_SETTINGS };
  }

  async saveSettings(companyId: number, s: OtpSettings): Promise<void> {
    const row = { company_id: companyId, policy: s.policy, issuer: s.issuer, drift: s.drift, updated_at: this.ctx.clock.now() };
    await this.ctx.db('otp_settings').insert(row).onConflict('company_id').merge();
  }

  async seedSettings(companyId: number): Promise<void> {
    await this.ctx
      .db('otp_settings')
      .insert({ company_id: companyId, ...DEFAULT_SETTINGS })
      .onConflict('company_id')
      .ignore();
  }

  async binding(companyId: number, agentPk: number, status: 'pending' | 'active'): Promise<BindingRow | null> {
    const r = await this.t(companyId).q('otp_bindings').where({ agent_id: agentPk, status }).first();
    return r ? toBinding(r) : null;
  }

  /** Starting again replaces an earlier pending binding (OTP-BIND-2). */
  async replacePending(companyId: number, agentPk: number, secretSealed: string, expiresAt: Date): Promise<void> {
    // One statement (upsert on agent + status), so a double click cannot trip the unique key.
    await this.t(companyId)
      .insert('otp_bindings', {
        agent_id: agentPk,
        status: 'pending',
        secret_sealed: secretSealed,
        attempts: 0,
        created_at: this.ctx.clock.now(),
        expires_at: expiresAt,
      })
      .onConflict(['agent_id', 'status'])
      .merge(['secret_sealed', 'attempts', 'created_at', 'expires_at']);
  }

  /** Counts one wrong confirmation code; returns the new count. */
  async countWrongConfirm(companyId: number, bindingId: number): Promise<number | null> {
    const [r] = await this.t(companyId).q('otp_bindings').where({ id: bindingId, status: 'pending' }).increment('attempts', 1).returning('attempts');
    return r ? Number(r.attempts) : null;
  }

  /** Drops a pending binding (expired or discarded); never an active one. */
  async deletePending(companyId: number, bindingId: number): Promise<void> {
    await this.t(companyId).q('otp_bindings').where({ id: bindingId, status: 'pending' }).delete();
  }

  /**
   * The pending binding becomes the agent's binding: an older one (device replacement)
   * and its recovery codes go, the confirming code's step counts as used.
   */
  async activate(companyId: number, agentPk: number, pendingId: number, step: number, codes: { salt: string; hash: string }[]): Promise<Date> {
    const now = this.ctx.clock.now();
    await this.t(companyId).transaction(async (t) => {
      await t.q('otp_bindings').where({ agent_id: agentPk, status: 'active' }).delete();
      const n = await t
        .q('otp_bindings')
        .where({ id: pendingId, status: 'pending' })
        .update({ status: 'active', bound_at: now, expires_at: null, attempts: 0, last_step: step, last_used_at: now });
      // Confirmed meanwhile by a concurrent request: roll back (the old binding stays).
      if (!n) throw conflict('otp_no_pending', 'There is no binding to confirm; start again');
      await this.writeCodes(t, agentPk, codes, now);
    });
    return now;
  }

  /**
   * OTP-REPLAY-6: records `step` as used only if it is newer than the last accepted
   * one, in a single conditional UPDATE, so concurrent logins with one code win once.
   */
  async acceptStep(companyId: number, bindingId: number, step: number): Promise<boolean> {
    const n = await this.t(companyId)
      .q('otp_bindings')
      .where({ id: bindingId, status: 'active' })
      .where('last_step', '<', step)
      .update({ last_step: step, last_used_at: this.ctx.clock.now() });
    return Number(n) === 1;
  }

  async recoveryCodes(companyId: number, agentPk: number): Promise<RecoveryRow[]> {
    const rows = await this.t(companyId).q('otp_recovery_codes').where({ agent_id: agentPk }).orderBy('id');
    return rows.map((r: any) => ({ id: Number(r.id), salt: r.salt, hash: r.hash, usedAt: date(r.used_at) }));
  }

  async recoveryLeft(companyId: number, agentPk: number): Promise<number> {
    const [{ n }] = await this.t(companyId).q('otp_recovery_codes').where({ agent_id: agentPk }).whereNull('used_at').count<{ n: string }[]>('* as n');
    return Number(n);
  }

  /** Marks a recovery code used, once: false when another request used it first. */
  async useRecoveryCode(companyId: number, bindingId: number, codeId: number): Promise<boolean> {
    const now = this.ctx.clock.now();
    return this.t(companyId).transaction(async (t) => {
      const n = await t.q('otp_recovery_codes').where({ id: codeId }).whereNull('used_at').update({ used_at: now });
      if (Number(n) !== 1) return false;
      await t.q('otp_bindings').where({ id: bindingId }).update({ last_used_at: now });
      return true;
    });
  }

  async replaceRecoveryCodes(companyId: number, agentPk: number, codes: { salt: string; hash: string }[]): Promise<void> {
    await this.t(companyId).transaction((t) => this.writeCodes(t, agentPk, codes, this.ctx.clock.now()));
  }

  /** Removes the agent's bindings and recovery codes; returns how many bindings went. */
  async removeAll(companyId: number, agentPk: number): Promise<number> {
    return this.t(companyId).transaction(async (t) => {
      await t.q('otp_recovery_codes').where({ agent_id: agentPk }).delete();
      // `returning` rather than the delete count: the embedded driver answers a raw result for deletes.
      return (await t.q('otp_bindings').where({ agent_id: agentPk }).delete().returning('id')).length;
    });
  }

  private async writeCodes(t: ReturnType<PluginContext['tenant']>, agentPk: number, codes: { salt: string; hash: string }[], now: Date) {
    await t.q('otp_recovery_codes').where({ agent_id: agentPk }).delete();
    if (codes.length)
      await t.insert(
        'otp_recovery_codes',
        codes.map((c) => ({ agent_id: agentPk, salt: c.salt, hash: c.hash, created_at: now })),
      );
  }
}
