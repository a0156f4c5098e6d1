import type { PluginContext } from '@kefu/core/plugin';
import { obliged } from './binding-service.ts';
import type { OtpStore } from './otp-store.ts';
import { toHalt, type OtpVerifier } from './otp-verifier.ts';

/**
 * OTP-LOGIN-4 through core's login filters. Core runs them only for companies with
 * the plugin enabled, after the password was found correct; both fail closed.
 */
export function registerLoginHooks(ctx: PluginContext, store: OtpStore, verifier: OtpVerifier) {
  ctx.hooks.addFilter(
    'auth.beforeLogin',
    async (value, hc) => {
      const active = await store.binding(hc.companyId, value.agent.id, 'active');
      if (active) {
        const sent = value.credentials.otp?.trim();
        if (!sent)
          return {
            stop: true,
            reason: 'challenge:otp',
            error: { status: 401, code: 'otp_required', message: 'Enter the dynamic password from your authenticator app' },
          };
        // An API client sent the code with the password: finish in one request.
        const r = await verifier.verify(hc.companyId, value.agent.id, sent, { allowRecovery: true, field: 'otp' });
        return r.ok ? { ...value, factor: r.factor } : toHalt(r.error);
      }
      if (obliged(await store.settings(hc.companyId), value.agent.role)) return { ...value, restriction: 'otp_binding_required' };
      return undefined;
    },
    { critical: true },
  );

  ctx.hooks.addFilter(
    'auth.verifyChallenge',
    async (value, hc) => {
      if (value.step !== 'otp') return undefined;
      const r = await verifier.verify(hc.companyId, value.agent.id, value.code, { allowRecovery: true, field: 'code' });
      return r.ok ? { ...value, verified: true, factor: r.factor } : toHalt(r.error);
    },
    { critical: true },
  );
}
