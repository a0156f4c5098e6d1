import { z } from 'zod';
import { defaults } from './defaults.ts';

/**
 * Server configuration: defaults from defaults.ts, overridden by environment
 * variables (12-factor). Everything the server reads from the environment is
 * declared here so an invalid value stops start-up naming the key.
 */
const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p + '://')), {
      message: `must start with ${protocols.map((p) => p + '://').join(' or ')}`,
    });

export const configSchema = z
  .object({
    PORT: port,
    HOST: z.string().min(1),
    DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
    REDIS_URL: optionalUrl(['redis', 'rediss']),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    KEFU_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    KEFU_DATA_DIR: z.string().min(1),
    KEFU_ADMIN_PASSWORD: z.string().min(8).max(64).optional(),
    KEFU_TRUSTED_PROXIES: z.string(),
    KEFU_LICENCE_MODE: z.enum(['open', 'managed']),
    KEFU_OPERATOR_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    KEFU_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'must look like 1mb or 512kb'),
    KEFU_PLUGINS_DIR: z.string().min(1),
    /** Outbound requests (webhooks, push) may reach private, loopback and link-local addresses: for LAN installs and tests only. */
    KEFU_OUTBOUND_ALLOW_PRIVATE: z.stringbool(),
    /** Outbound requests may use plain http (push URLs need https otherwise). */
    KEFU_OUTBOUND_ALLOW_HTTP: z.stringbool(),
    /** Visitor message flood limit (POLICY-FLOOD-7): `messages/seconds/block seconds`. */
    /** Feedback goes to each company's own admins instead of the operator (FEEDBACK-LOCAL-6). */
    KEFU_FEEDBACK_TO_ADMINS: z.stringbool(),
    /** Where new feedback is also e-mailed (FEEDBACK-DEST-2), through the submitting company's mail settings. */
    KEFU_FEEDBACK_EMAIL: z
      .string()
      .trim()
      .transform((v) => (v === '' ? undefined : v))
      .optional()
      .pipe(z.email().optional()),
    /** Support contact of the console's 联系支持 (MENU-CONTACT-3): a web address, or an e-mail address and/or a phone number. */
    KEFU_SUPPORT_URL: z.url({ protocol: /^https?$/ }).optional(),
    KEFU_SUPPORT_EMAIL: z.email().optional(),
    KEFU_SUPPORT_PHONE: z
      .string()
      .regex(/^[\d+\-() ]{3,30}$/, 'digits, + - ( ) and spaces, 3 to 30')
      .optional(),
    /** Account registration (LOGIN-REGISTER-13): `closed`, `invite` (the operator's single-use links) or `open`. */
    KEFU_SIGNUP: z.enum(['closed', 'invite', 'open']),
    /** The source commit the server was built from, shown in 关于 (MENU-ABOUT-5); unset: the checkout's git HEAD. */
    KEFU_BUILD_COMMIT: z
      .string()
      .trim()
      .transform((v) => (v === '' ? undefined : v))
      .optional()
      .pipe(
        z
          .string()
          .regex(/^[0-9a-f]{7,40}$/, 'must be a git commit hash')
          .optional(),
      ),
    KEFU_VISITOR_FLOOD: z.string().regex(/^\d+\/\d+\/\d+$/, 'must look like 10/10/30 (messages/seconds/block seconds)'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    NODE_ENV: z.enum(['development', 'production', 'test']),
  })
  .strict();

export type KefuConfig = z.infer<typeof configSchema> & { derivedPublicUrl: string };

export class ConfigError extends Error {
  constructor(public readonly problems: { key: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  ${p.key}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads the keys of the schema from `env` (unknown env vars are ignored). */
export function loadConfig(env: Record<string, string | undefined> = process.env): KefuConfig {
  const raw: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ key: String(i.path[0] ?? '(root)'), message: i.message })));
  }
  const c = parsed.data;
  const derivedPublicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return { ...c, derivedPublicUrl };
}

export { defaults };
