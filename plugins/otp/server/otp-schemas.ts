import { z } from 'zod';

const password = z.string().min(1).max(128);
const code = z.string().trim().min(1).max(20);

export const bindStartBody = z.strictObject({
  password,
  /** 更换设备: keep the current binding until the new one is confirmed (needs `code`). */
  replace: z.boolean().optional(),
  code: code.optional(),
});
export const confirmBody = z.strictObject({ code });
export const passwordAndCode = z.strictObject({ password, code });
export const resetBody = z.strictObject({ password });

export const policyEnum = z.enum(['none', 'admins', 'all']);
export const settingsView = z.object({ policy: policyEnum, issuer: z.string(), drift: z.number().int() });
export const settingsPatch = z
  .strictObject({
    policy: policyEnum.optional(),
    issuer: z.string().trim().min(1).max(120).optional(),
    drift: z.number().int().min(0).max(2).optional(),
  })
  .refine((b) => b.issuer === undefined || [...b.issuer].length <= 30, { path: ['issuer'], message: 'At most 30 characters', params: { code: 'too_big' } });

export const stateEnum = z.enum(['none', 'pending', 'bound']);
export const overviewQuery = z.strictObject({
  state: stateEnum.optional(),
  q: z.string().trim().max(50).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((n) => [20, 50, 100].includes(n), 'One of 20, 50, 100')
    .default(20),
});
export const exportQuery = z.strictObject({ state: stateEnum.optional() });
export const agentParams = z.strictObject({ agentId: z.coerce.number().int().positive() });
export const operatorResetBody = z.strictObject({
  companyId: z.coerce.number().int().min(10000).max(999999999),
  agentId: z.string().trim().min(1).max(32),
});

export const statusView = z.object({
  state: stateEnum,
  boundAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  replacing: z.boolean(),
  pendingExpiresAt: z.string().nullable(),
  recoveryCodesLeft: z.number(),
  lowRecoveryCodes: z.boolean(),
  policy: policyEnum,
  obliged: z.boolean(),
  restriction: z.string().nullable(),
});
export const bindStartView = z.object({
  secret: z.string(),
  secretGrouped: z.string(),
  uri: z.string(),
  qrSvg: z.string(),
  issuer: z.string(),
  expiresAt: z.string(),
  replacing: z.boolean(),
});
export const recoveryView = z.object({ recoveryCodes: z.array(z.string()) });
export const confirmView = recoveryView.extend({ boundAt: z.string() });
