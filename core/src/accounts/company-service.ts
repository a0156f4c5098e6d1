import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type http from 'node:http';
import crypto from 'node:crypto';
import type { KefuConfig } from '@kefu/config';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { generatePassword, randomToken } from '../infra/crypto.ts';
import { FileStorage } from '../files/file-storage.ts';
import { withSmallUpload } from '../files/small-upload.ts';
import { MailOutbox } from '../leavemsg/mail-outbox.ts';
import { MailSettingsService } from '../leavemsg/mail-settings-service.ts';
import { checkUploadedImage } from '../settings/style-image-service.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { AuditService } from './audit-service.ts';
import { PasswordHasher } from './password-hasher.ts';
import { checkNewPassword } from './password-policy.ts';

export const companyView = z.object({
  publicId: z.number(),
  name: z.string(),
  shortName: z.string().nullable(),
  website: z.string().nullable(),
  contact: z.string().nullable(),
  email: z.string().nullable(),
  /** COMPANY-EMAIL-5: false when it was set without a mail server to confirm it. */
  emailVerified: z.boolean(),
  /** An address waiting for its confirmation link, and until when the link works. */
  pendingEmail: z.object({ email: z.string(), expiresAt: z.string() }).nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  timezone: z.string(),
  visitorLanguage: z.string(),
  consoleLanguage: z.string(),
  callingCode: z.string(),
  /** COMPANY-LOGO-6: null shows the Kefu mark. */
  logoUrl: z.string().nullable(),
  version: z.number(),
});

/** COMPANY-EMAIL-5: how long a confirmation link works. */
export const EMAIL_LINK_TTL_MS = 24 * 60 * 60_000;
export const LOGO_MAX_BYTES = 200 * 1024;
export const companyLogoUrl = (key: string) => `/company-logos/${key}`;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();
export const updateCompanyBody = z.strictObject({
  version: z.number().int(),
  name: z.string().trim().min(1).max(100).optional(),
  shortName: z.string().trim().min(1).max(30).nullable().optional(),
  website: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .optional(),
  contact: nullableText(50),
  email: z.email().nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[\d+\-() ]{0,30}$/, 'Digits, + - ( ) and spaces, at most 30')
    .nullable()
    .optional(),
  address: nullableText(200),
  timezone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'Unknown IANA time zone')
    .optional(),
  visitorLanguage: z.enum(['zh-CN', 'zh-TW', 'en', 'ja', 'ko']).optional(),
  consoleLanguage: z.enum(['zh-CN', 'zh-TW', 'en', 'ja', 'ko']).optional(),
  callingCode: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{0,3}$/, 'A + followed by 1–4 digits, e.g. +86')
    .optional(),
});

const columns = {
  name: 'name',
  shortName: 'short_name',
  website: 'website',
  contact: 'contact',
  email: 'email',
  phone: 'phone',
  address: 'address',
  timezone: 'timezone',
  visitorLanguage: 'visitor_language',
  consoleLanguage: 'console_language',
  callingCode: 'calling_code',
} as const;

/** Companies (tenants) and the first admin of each (COMPANY-ID-4, AGENT-PRIMARY-10). */
@injectable()
export class CompanyService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(MailSettingsService) private readonly mail: MailSettingsService,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
    @inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  async createWithAdmin(input: { name: string; publicId?: number; adminAgentId?: string; adminPassword?: string; seats?: number | null }) {
    const adminAgentId = input.adminAgentId ?? 'admin';
    const password = input.adminPassword ?? generatePassword();
    await checkNewPassword('adminPassword', password, adminAgentId, []);
    const hash = await this.hasher.hash(password);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (trx) => {
          const publicId = input.publicId ?? Math.max(10000, Number((await trx('companies').max('public_id as m').first())?.m ?? 10000)) + 1;
          if (input.publicId !== undefined && (await trx('companies').where({ public_id: publicId }).first('id')))
            throw conflict('company_id_taken', `Company ID ${publicId} is taken`);
          const [c] = await trx('companies')
            .insert({ public_id: publicId, name: input.name, short_name: [...input.name].slice(0, 30).join(''), seats: input.seats ?? null })
            .returning(['id', 'public_id']);
          const [a] = await new Tenant(trx, Number(c.id))
            .insert('agents', {
              agent_id: adminAgentId,
              agent_id_lower: adminAgentId.toLowerCase(),
              name: adminAgentId,
              nickname: adminAgentId,
              role: 'admin',
              is_primary: true,
              password_hash: hash,
              must_change_password: false,
            })
            .returning('id');
          return { companyId: Number(c.id), publicId: Number(c.public_id), agentPk: Number(a.id), agentId: adminAgentId, password };
        });
      } catch (err: any) {
        // Two creations racing for the next number: the unique index decides, the loser retries.
        if (err?.code === '23505' && input.publicId === undefined && attempt < 5) continue;
        throw err;
      }
    }
  }

  async byPublicId(publicId: number) {
    const c = await this.db('companies').where({ public_id: publicId }).first();
    if (!c) throw notFound(`Company ${publicId} not found`);
    return { ...c, id: Number(c.id) };
  }

  async view(t: Tenant) {
    const c = await t.unscoped('companies').where({ id: t.companyId }).first();
    return {
      publicId: Number(c.public_id),
      name: c.name,
      shortName: c.short_name,
      website: c.website,
      contact: c.contact,
      email: c.email,
      phone: c.phone,
      address: c.address,
      timezone: c.timezone,
      visitorLanguage: c.visitor_language,
      consoleLanguage: c.console_language,
      callingCode: c.calling_code,
      logoUrl: c.logo_key ? companyLogoUrl(c.logo_key) : null,
      emailVerified: c.email_verified,
      pendingEmail:
        c.pending_email && new Date(c.pending_email_expires_at) > new Date()
          ? { email: c.pending_email, expiresAt: new Date(c.pending_email_expires_at).toISOString() }
          : null,
      version: c.version,
    };
  }

  /**
   * A new e-mail waits for its confirmation link when the company has a mail server, and the
   * old address is told; without one it applies at once, marked unverified (COMPANY-EMAIL-5).
   */
  async update(t: Tenant, actorId: number, input: z.output<typeof updateCompanyBody>) {
    const before = await this.view(t);
    const patch: Record<string, unknown> = { version: before.version + 1, updated_at: new Date() };
    for (const [k, col] of Object.entries(columns)) if ((input as Record<string, unknown>)[k] !== undefined) patch[col] = (input as Record<string, unknown>)[k];
    const newEmail = input.email !== undefined && input.email !== before.email ? input.email : undefined;
    const mail = newEmail ? await this.mail.forCompany(t.companyId) : null;
    let token: string | null = null;
    if (newEmail !== undefined) {
      delete patch.email;
      Object.assign(patch, { pending_email: null, pending_email_token_hash: null, pending_email_expires_at: null });
      if (newEmail && mail) {
        token = randomToken(32);
        Object.assign(patch, {
          pending_email: newEmail,
          pending_email_token_hash: sha256(token),
          pending_email_expires_at: new Date(Date.now() + EMAIL_LINK_TTL_MS),
        });
      } else Object.assign(patch, { email: newEmail, email_verified: false });
    }
    await t.transaction(async (tt, trx) => {
      const n = await trx('companies').where({ id: t.companyId, version: input.version }).update(patch);
      if (!n) throw conflict('settings_changed', 'Someone else changed the company information; reload and try again', { current: before });
      await this.audit.write(tt, { actor: actorId, action: 'company.update', old: before, new: input });
      if (token && newEmail) await this.sendEmailLinks(tt, before, newEmail, token);
    });
    return this.view(t);
  }

  private async sendEmailLinks(t: Tenant, before: z.infer<typeof companyView>, newEmail: string, token: string) {
    const link = `${this.config.derivedPublicUrl}/confirm-company-email?token=${token}`;
    await this.outbox.enqueue(t, {
      leaveMessageId: null,
      to: newEmail,
      subject: `${before.name}: 确认公司邮箱 / Confirm the company e-mail`,
      body: [
        `请在 24 小时内打开以下链接,确认 ${newEmail} 为公司 ${before.publicId} 的邮箱:`,
        link,
        '',
        `Open this link within 24 hours to make ${newEmail} the e-mail of company ${before.publicId}:`,
        link,
      ].join('\n'),
    });
    if (before.email)
      await this.outbox.enqueue(t, {
        leaveMessageId: null,
        to: before.email,
        subject: `${before.name}: 公司邮箱变更申请 / Company e-mail change requested`,
        body: [
          `有人申请把公司 ${before.publicId} 的邮箱改为 ${newEmail},打开确认链接后生效。如非本公司管理员所为,请登录检查。`,
          '',
          `Someone asked to change the e-mail of company ${before.publicId} to ${newEmail}; it takes effect once the link sent there is opened. If this was not your administrator, sign in and check.`,
        ].join('\n'),
      });
  }

  /** The link of COMPANY-EMAIL-5: applies the waiting address once; spent or expired links answer 410. */
  async confirmEmail(token: string): Promise<{ publicId: number }> {
    const c = await this.db('companies')
      .where({ pending_email_token_hash: sha256(token) })
      .first('id', 'public_id', 'pending_email', 'pending_email_expires_at', 'email');
    if (!c || new Date(c.pending_email_expires_at) <= new Date())
      throw new AppError(410, 'email_link_invalid', 'This confirmation link has expired or has already been used');
    const t = new Tenant(this.db, Number(c.id));
    await t.transaction(async (tt, trx) => {
      await trx('companies')
        .where({ id: c.id })
        .update({
          email: c.pending_email,
          email_verified: true,
          pending_email: null,
          pending_email_token_hash: null,
          pending_email_expires_at: null,
          version: this.db.raw('version + 1'),
        });
      await this.audit.write(tt, { actor: null, action: 'company.emailConfirmed', old: { email: c.email }, new: { email: c.pending_email } });
    });
    return { publicId: Number(c.public_id) };
  }

  /** COMPANY-LOGO-6: PNG, JPEG, GIF or WebP up to 200 KB, under a new random key each time. */
  async setLogo(t: Tenant, actorId: number, req: http.IncomingMessage) {
    const image = await withSmallUpload(this.storage, req, LOGO_MAX_BYTES, 'The logo', (path, name) => checkUploadedImage(path, name, 'The logo'));
    const key = randomToken(24);
    await t.transaction(async (tt, trx) => {
      await trx('companies')
        .where({ id: t.companyId })
        .update({ logo_key: key, logo_mime: image.mime, logo_data: image.data, version: this.db.raw('version + 1') });
      await this.audit.write(tt, { actor: actorId, action: 'company.logo', new: { logo: key } });
    });
    return this.view(t);
  }

  /** Removing the logo brings back the Kefu mark. */
  async removeLogo(t: Tenant, actorId: number) {
    await t.transaction(async (tt, trx) => {
      await trx('companies')
        .where({ id: t.companyId })
        .update({ logo_key: null, logo_mime: null, logo_data: null, version: this.db.raw('version + 1') });
      await this.audit.write(tt, { actor: actorId, action: 'company.logo', new: { logo: null } });
    });
    return this.view(t);
  }

  /** The logo behind a key, from any company: the random key is the secret, and a new upload gets a new one. */
  async logo(key: string): Promise<{ mime: string; data: Buffer }> {
    const row = await this.db('companies').where({ logo_key: key }).first('logo_mime', 'logo_data');
    if (!row) throw notFound('No such logo');
    return { mime: row.logo_mime, data: Buffer.from(row.logo_data) };
  }

  /** Operator: make a company's primary admin usable again (AGENT-PRIMARY-10). */
  async resetPassword(publicId: number, agentId: string, password?: string) {
    const c = await this.byPublicId(publicId);
    const t = new Tenant(this.db, c.id);
    const a = await t.q('agents').where({ agent_id_lower: agentId.toLowerCase() }).whereNull('deleted_at').first();
    if (!a) throw notFound(`Agent ${agentId} not found`);
    const next = password ?? generatePassword();
    await checkNewPassword('password', next, a.agent_id, []);
    await t
      .q('agents')
      .where({ id: a.id })
      .update({ password_hash: await this.hasher.hash(next), disabled_at: a.is_primary ? null : a.disabled_at });
    await t.q('sessions').where({ agent_id: a.id }).whereNull('ended_at').update({ ended_at: new Date(), end_reason: 'password_changed' });
    return next;
  }
}
