import { definePlugin } from '@kefu/core/plugin';
import { BindingService } from './binding-service.ts';
import { registerLoginHooks } from './login-hooks.ts';
import { ManageService } from './manage-service.ts';
import { registerOtpRoutes } from './otp-routes.ts';
import { OtpStore } from './otp-store.ts';
import { OtpVerifier } from './otp-verifier.ts';

/** 动态口令: a TOTP second login factor (SPEC §8.1, OTP-*). */
export default definePlugin({
  manifest: {
    id: 'otp',
    name: { 'zh-CN': '动态口令', en: 'Dynamic password' },
    description: {
      'zh-CN': '登录时除密码外还需输入手机验证器应用生成的一次性动态口令',
      en: 'A one-time code from an authenticator app on the agent’s phone, asked for after the password',
    },
    permissions: [{ name: 'otp.manage', section: 'otp', label: { 'zh-CN': '动态口令管理', en: 'Dynamic password management' } }],
  },
  async install(ctx, companyId) {
    await new OtpStore(ctx).seedSettings(companyId);
  },
  start(ctx) {
    const store = new OtpStore(ctx);
    const verifier = new OtpVerifier(ctx, store);
    registerLoginHooks(ctx, store, verifier);
    registerOtpRoutes(ctx, store, new BindingService(ctx, store, verifier), new ManageService(ctx, store));
  },
});
