import { z } from 'zod';
import type { KefuConfig } from '@kefu/config';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { SecretBox } from '../infra/crypto.ts';
import { TOKENS } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { conflict, validationFailed } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';

/** LEAVESET-SMTP-3 mail server and LEAVESET-EMAIL-2 forwarding; the password is write-only. */
export const smtpInput = z.strictObject({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  security: z.enum(['none', 'starttls', 'tls']).default('starttls'),
  user: z.string().trim().max(255).nullable().default(null),
  /** Omitted: keep the stored one; null: remove it. */
  password: z.string().max(500).nullable().optional(),
  fromAddress: z.email(),
  fromName: z.string().trim().max(100).nullable().default(null),
});

export const mailSettingsBody = z.strictObject({
  version: z.number().int().min(0),
  forwardEnabled: z.boolean().default(false),
  recipients: z.array(z.email()).max(5).default([]),
  smtp: smtpInput.nullable().default(null),
});

export const mailSettingsView = z.object({
  version: z.number(),
  forwardEnabled: z.boolean(),
  recipients: z.array(z.string()),
  smtp: z
    .object({
      host: z.string(),
      port: z.number(),
      security: z.string(),
      user: z.string().nullable(),
      password: z.string().nullable().describe('•••• plus the last 4 characters; never the password'),
      fromAddress: z.string(),
      fromName: z.string().nullable(),
    })
    .nullable(),
});

type StoredSmtp = Omit<z.output<typeof smtpInput>, 'password'> & { passwordSealed: string | null; passwordHint: string | null };

export interface CompanyMail {
  transport: SMTPTransport.Options;
  from: { address: string; name: string | null };
  forwardEnabled: boolean;
  recipients: string[];
}

@injectable()
export class MailSettingsService {
  private readonly box: SecretBox;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Config) config: KefuConfig,
    @inject(AuditService) private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.KEFU_SECRET ?? 'kefu-development-secret-change-me-in-production');
  }

  async get(t: Tenant): Promise<z.output<typeof mailSettingsView>> {
    const row = await t.q('mail_settings').first();
    const smtp = row?.smtp as StoredSmtp | null | undefined;
    return {
      version: row?.version ?? 0,
      forwardEnabled: !!row?.forward_enabled,
      recipients: (row?.recipients as string[]) ?? [],
      smtp: smtp
        ? {
            host: smtp.host,
            port: smtp.port,
            security: smtp.security,
            user: smtp.user,
            password: smtp.passwordHint,
            fromAddress: smtp.fromAddress,
            fromName: smtp.fromName,
          }
        : null,
    };
  }

  async put(auth: AuthInfo, input: z.output<typeof mailSettingsBody>) {
    if (input.forwardEnabled && !input.smtp)
      throw validationFailed([{ path: 'forwardEnabled', code: 'smtp_not_configured', message: 'Configure a mail server first' }]);
    if (input.forwardEnabled && !input.recipients.length)
      throw validationFailed([{ path: 'recipients', code: 'recipients_required', message: 'One to five addresses' }]);
    return auth.tenant.transaction(async (t) => {
      const before = await t.q('mail_settings').forUpdate().first();
      const current = before?.version ?? 0;
      if (current !== input.version) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: current });
      const old = before?.smtp as StoredSmtp | null | undefined;
      let smtp: StoredSmtp | null = null;
      if (input.smtp) {
        const { password, ...rest } = input.smtp;
        const keep = password === undefined;
        smtp = {
          ...rest,
          passwordSealed: keep ? (old?.passwordSealed ?? null) : password ? this.box.seal(password) : null,
          passwordHint: keep ? (old?.passwordHint ?? null) : password ? '••••' + password.slice(-4) : null,
        };
      }
      const row = {
        smtp: smtp ? JSON.stringify(smtp) : null,
        forward_enabled: input.forwardEnabled,
        recipients: JSON.stringify(input.recipients),
        version: current + 1,
        updated_at: new Date(),
        updated_by: auth.agent.id,
      };
      if (before) await t.q('mail_settings').update(row);
      else await t.insert('mail_settings', row);
      // Never the password: only whether it changed.
      const redact = (s: StoredSmtp | null | undefined) => (s ? { ...s, passwordSealed: undefined, passwordHint: undefined } : null);
      await this.audit.write(t, {
        actor: auth.agent.id,
        action: 'settings.mail.update',
        target: 'mail_settings',
        old: before ? { forwardEnabled: before.forward_enabled, recipients: before.recipients, smtp: redact(old) } : undefined,
        new: { forwardEnabled: input.forwardEnabled, recipients: input.recipients, smtp: redact(smtp), passwordChanged: input.smtp?.password !== undefined },
      });
      return this.get(t);
    });
  }

  /** What the outbox needs to send for a company; null without a mail server. */
  async forCompany(companyId: number): Promise<CompanyMail | null> {
    const row = await new Tenant(this.db, companyId).q('mail_settings').first();
    const s = row?.smtp as StoredSmtp | null | undefined;
    if (!s) return null;
    const pass = s.passwordSealed ? this.box.open(s.passwordSealed) : undefined;
    return {
      transport: {
        host: s.host,
        port: s.port,
        secure: s.security === 'tls',
        requireTLS: s.security === 'starttls',
        ignoreTLS: s.security === 'none',
        auth: s.user ? { user: s.user, pass } : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      },
      from: { address: s.fromAddress, name: s.fromName },
      forwardEnabled: !!row.forward_enabled,
      recipients: (row.recipients as string[]) ?? [],
    };
  }
}
