import QRCode from 'qrcode';
import { AppError, conflict, type AuthInfo, type PluginContext } from '@kefu/core/plugin';
import { classifyCode, formatRecoveryCode, hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import type { OtpSettings, OtpStore } from './otp-store.ts';
import { badFormat, toError, type OtpVerifier } from './otp-verifier.ts';
import { groupSecret, matchStep, newSecret, otpauthUri } from './totp.ts';

const PENDING_MS = 10 * 60_000;
const CONFIRM_ATTEMPTS = 5;
/** At this many unused recovery codes or fewer the console warns at every login (OTP-RECOVERY-7). */
export const LOW_RECOVERY = 2;

export const obliged = (s: OtpSettings, role: string) => s.policy === 'all' || (s.policy === 'admins' && role === 'admin');

/** An agent's own binding: status, start, confirm, unbind, new recovery codes (OTP-BIND-2 … OTP-UNBIND-8). */
export class BindingService {
  constructor(
    private readonly ctx: PluginContext,
    private readonly store: OtpStore,
    private readonly verifier: OtpVerifier,
  ) {}

  private async reauth(auth: AuthInfo, password: string) {
    if (!(await this.ctx.accounts.verifyPassword(auth.companyId, auth.agent.id, password)))
      throw new AppError(401, 'reauth_failed', 'The password is incorrect');
  }

  private async checkCode(auth: AuthInfo, code: string, allowRecovery: boolean) {
    const r = await this.verifier.verify(auth.companyId, auth.agent.id, code, { allowRecovery, field: 'code' });
    if (!r.ok) throw toError(r.error);
  }

  private async livePending(companyId: number, agentPk: number) {
    const p = await this.store.binding(companyId, agentPk, 'pending');
    if (p && p.expiresAt && p.expiresAt <= this.ctx.clock.now()) {
      await this.store.deletePending(companyId, p.id);
      return null;
    }
    return p;
  }

  private async issueCodes() {
    const codes = newRecoveryCodes();
    return { shown: codes.map(formatRecoveryCode), hashed: codes.map((c) => hashRecoveryCode(c)) };
  }

  async status(auth: AuthInfo) {
    const { companyId, agent } = auth;
    const [settings, active, pending, left] = await Promise.all([
      this.store.settings(companyId),
      this.store.binding(companyId, agent.id, 'active'),
      this.livePending(companyId, agent.id),
      this.store.recoveryLeft(companyId, agent.id),
    ]);
    return {
      state: active ? ('bound' as const) : pending ? ('pending' as const) : ('none' as const),
      boundAt: active?.boundAt?.toISOString() ?? null,
      lastUsedAt: active?.lastUsedAt?.toISOString() ?? null,
      replacing: !!(active && pending),
      pendingExpiresAt: pending?.expiresAt?.toISOString() ?? null,
      recoveryCodesLeft: active ? left : 0,
      lowRecoveryCodes: !!active && left <= LOW_RECOVERY,
      policy: settings.policy,
      obliged: obliged(settings, agent.role),
      restriction: auth.restriction,
    };
  }

  /** OTP-BIND-2; `replace` (更换设备) keeps the old binding until the new one is confirmed. */
  async start(auth: AuthInfo, body: { password: string; replace?: boolean; code?: string }) {
    const { companyId, agent } = auth;
    await this.reauth(auth, body.password);
    const active = await this.store.binding(companyId, agent.id, 'active');
    if (active && !body.replace) throw conflict('otp_already_bound', 'This agent ID already has a dynamic password');
    if (active) {
      if (!body.code) throw toError(badFormat('code'));
      await this.checkCode(auth, body.code, true);
    }
    const secret = newSecret();
    const expiresAt = new Date(this.ctx.clock.now().getTime() + PENDING_MS);
    await this.store.replacePending(companyId, agent.id, this.ctx.secrets.seal(secret), expiresAt);
    const { issuer } = await this.store.settings(companyId);
    const uri = otpauthUri({ issuer, agentId: agent.agentId, companyPublicId: auth.companyPublicId, secret });
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, secretGrouped: groupSecret(secret), uri, qrSvg, issuer, expiresAt: expiresAt.toISOString(), replacing: !!active };
  }

  /** OTP-CONFIRM-3: the first right code activates the binding and shows the recovery codes once. */
  async confirm(auth: AuthInfo, rawCode: string) {
    const { companyId, agent } = auth;
    const pending = await this.livePending(companyId, agent.id);
    if (!pending) throw conflict('otp_no_pending', 'There is no binding to confirm; start again');
    const input = classifyCode(rawCode);
    if (input?.kind !== 'totp') throw toError(badFormat('code'));
    const { drift } = await this.store.settings(companyId);
    const step = await matchStep(this.ctx.secrets.open(pending.secretSealed), input.code, this.ctx.clock.now().getTime(), drift);
    if (step === null) {
      const attempts = await this.store.countWrongConfirm(companyId, pending.id);
      if (attempts === null) throw conflict('otp_no_pending', 'There is no binding to confirm; start again');
      if (attempts >= CONFIRM_ATTEMPTS) {
        await this.store.deletePending(companyId, pending.id);
        throw new AppError(400, 'otp_pending_discarded', 'Too many wrong codes; the binding was discarded, start again');
      }
      throw new AppError(400, 'otp_invalid', 'Wrong dynamic password', { attemptsLeft: CONFIRM_ATTEMPTS - attempts });
    }
    const codes = await this.issueCodes();
    const replaced = !!(await this.store.binding(companyId, agent.id, 'active'));
    const boundAt = await this.store.activate(companyId, agent.id, pending.id, step, codes.hashed);
    await this.ctx.accounts.audit(companyId, { actor: agent.id, action: replaced ? 'otp.replace' : 'otp.bind', target: agent.agentId });
    await this.ctx.accounts.loginEvent(companyId, {
      agentId: agent.id,
      actorAgentId: agent.id,
      summary: replaced ? 'Dynamic password device replaced' : 'Dynamic password bound',
      reason: 'otp_bound',
    });
    if (auth.restriction === 'otp_binding_required') await this.ctx.accounts.liftRestriction(auth.sessionId);
    return { recoveryCodes: codes.shown, boundAt: boundAt.toISOString() };
  }

  /** OTP-UNBIND-8: password plus a current code or a recovery code; refused while the policy obliges. */
  async unbind(auth: AuthInfo, body: { password: string; code: string }) {
    const { companyId, agent } = auth;
    await this.reauth(auth, body.password);
    if (!(await this.store.binding(companyId, agent.id, 'active'))) throw conflict('otp_not_bound', 'This agent ID has no dynamic password');
    if (obliged(await this.store.settings(companyId), agent.role))
      throw conflict('otp_required_by_policy', 'The company requires a dynamic password for you; replace the device instead');
    await this.checkCode(auth, body.code, true);
    await this.store.removeAll(companyId, agent.id);
    await this.ctx.accounts.audit(companyId, { actor: agent.id, action: 'otp.unbind', target: agent.agentId });
    await this.ctx.accounts.loginEvent(companyId, { agentId: agent.id, actorAgentId: agent.id, summary: 'Dynamic password removed', reason: 'otp_unbound' });
    return { state: 'none' as const };
  }

  /** OTP-RECOVERY-7: password plus a current code; the old set stops working. */
  async regenerate(auth: AuthInfo, body: { password: string; code: string }) {
    const { companyId, agent } = auth;
    await this.reauth(auth, body.password);
    if (!(await this.store.binding(companyId, agent.id, 'active'))) throw conflict('otp_not_bound', 'This agent ID has no dynamic password');
    await this.checkCode(auth, body.code, false);
    const codes = await this.issueCodes();
    await this.store.replaceRecoveryCodes(companyId, agent.id, codes.hashed);
    await this.ctx.accounts.audit(companyId, { actor: agent.id, action: 'otp.recovery.regenerate', target: agent.agentId });
    return { recoveryCodes: codes.shown };
  }
}
