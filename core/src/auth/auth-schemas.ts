import { z } from 'zod';

export const companyIdField = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{5,9}$/, 'Company ID is a 5–9 digit number'));

export const loginBody = z.strictObject({
  companyId: companyIdField,
  agentId: z.string().trim().min(1).max(32),
  password: z.string().min(1).max(128),
  remember: z.boolean().optional().default(false),
  /** API clients may send the dynamic password with the password (OTP-LOGIN-4). */
  otp: z.string().max(20).optional(),
  /** `api` returns a bearer token instead of setting the console cookie. */
  client: z.enum(['console', 'api']).optional().default('console'),
  method: z.enum(['web', 'app', 'mobile']).optional().default('web'),
});
export type LoginBody = z.output<typeof loginBody>;

export const loginOptionsQuery = z.strictObject({ companyId: companyIdField });
/** What the login form offers for a company before anyone signs in; an unknown company gets the defaults. */
export const loginOptionsResponse = z.object({
  autoLogin: z.boolean().describe('False when the company set the automatic-login lifetime to 0 days (LOGIN-AUTOLOGIN-10)'),
});

export const verifyBody = z.strictObject({
  challengeId: z.string().min(10).max(100),
  code: z.string().trim().min(1).max(20),
});

export const meAgent = z.object({
  id: z.number(),
  agentId: z.string(),
  name: z.string(),
  nickname: z.string(),
  role: z.enum(['admin', 'agent']),
  isPrimary: z.boolean(),
  permissions: z.array(z.string()),
  language: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});

export const companyRef = z.object({ id: z.number(), publicId: z.number(), name: z.string() });

export const loginResponse = z.object({
  agent: meAgent,
  company: companyRef,
  token: z.string().optional().describe('Only for client=api: the bearer token'),
  mustChangePassword: z.boolean(),
});

export const meResponse = z.object({
  agent: meAgent,
  company: companyRef,
  plugins: z.array(z.string()),
  restriction: z.string().nullable(),
});
