import { AppError, type Halt, type PluginContext } from '@kefu/core/plugin';
import { classifyCode, recoveryCodeMatches } from './recovery-codes.ts';
import type { OtpStore } from './otp-store.ts';
import { matchStep } from './totp.ts';

export type Factor = 'password+otp' | 'password+recovery';
export type Failure = { status: number; code: string; message: string; extra?: Record<string, unknown> };
export type Outcome = { ok: true; factor: Factor } | { ok: false; error: Failure };

const fail = (status: number, code: string, message: string, extra?: Record<string, unknown>): Outcome => ({
  ok: false,
  error: { status, code, message, extra },
});

export const badFormat = (path: string): Failure => ({
  status: 400,
  code: 'validation_failed',
  message: 'Invalid input',
  extra: { fields: [{ path, code: 'otp_format', message: 'Enter the 6-digit code or a 10-character recovery code' }] },
});

export const toHalt = (e: Failure): Halt => ({ stop: true, reason: e.code, error: { status: e.status, code: e.code, message: e.message, extra: e.extra } });
export const toError = (e: Failure) => new AppError(e.status, e.code, e.message, e.extra);

/**
 * Checks a dynamic password or recovery code for an agent's active binding and marks
 * it used (OTP-VERIFY-5, OTP-REPLAY-6, OTP-RECOVERY-7). Login, unbinding and
 * regeneration all go through here, so the rules cannot drift apart.
 */
export class OtpVerifier {
  constructor(
    private readonly ctx: PluginContext,
    private readonly store: OtpStore,
  ) {}

  async verify(companyId: number, agentPk: number, raw: string, opts: { allowRecovery: boolean; field: string }): Promise<Outcome> {
    const input = classifyCode(raw);
    if (!input || (input.kind === 'recovery' && !opts.allowRecovery)) return { ok: false, error: badFormat(opts.field) };
    const binding = await this.store.binding(companyId, agentPk, 'active');
    if (!binding) return fail(401, 'otp_invalid', 'Wrong dynamic password');

    if (input.kind === 'recovery') {
      // Compare against every stored code (no early exit) so timing says nothing about which matched.
      let hit: { id: number; usedAt: Date | null } | null = null;
      for (const row of await this.store.recoveryCodes(companyId, agentPk)) if (recoveryCodeMatches(input.code, row) && !hit) hit = row;
      if (!hit) return fail(401, 'otp_invalid', 'Wrong recovery code');
      if (hit.usedAt || !(await this.store.useRecoveryCode(companyId, binding.id, hit.id)))
        return fail(401, 'otp_recovery_used', 'This recovery code was already used');
      return { ok: true, factor: 'password+recovery' };
    }

    const { drift } = await this.store.settings(companyId);
    const secret = this.ctx.secrets.open(binding.secretSealed);
    const step = await matchStep(secret, input.code, this.ctx.clock.now().getTime(), drift);
    if (step === null) return fail(401, 'otp_invalid', 'Wrong dynamic password');
    if (!(await this.store.acceptStep(companyId, binding.id, step)))
      return fail(401, 'otp_replayed', 'This dynamic password was already used; wait for the next one');
    return { ok: true, factor: 'password+otp' };
  }
}
