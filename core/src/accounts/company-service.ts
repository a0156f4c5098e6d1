import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { conflict, notFound } from '../http/errors.ts';
import { generatePassword } from '../infra/crypto.ts';
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
  phone: z.string().nullable(),
  address: z.string().nullable(),
  timezone: z.string(),
  visitorLanguage: z.string(),
  consoleLanguage: z.string(),
  version: z.number(),
});

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
} as const;

/** Companies (tenants) and the first admin of each (COMPANY-ID-4, AGENT-PRIMARY-10). */
@injectable()
export class CompanyService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(AuditService) private readonly audit: AuditService,
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
      version: c.version,
    };
  }

  async update(t: Tenant, actorId: number, input: z.output<typeof updateCompanyBody>) {
    const before = await this.view(t);
    const patch: Record<string, unknown> = { version: before.version + 1, updated_at: new Date() };
    for (const [k, col] of Object.entries(columns)) if ((input as Record<string, unknown>)[k] !== undefined) patch[col] = (input as Record<string, unknown>)[k];
    await t.transaction(async (tt, trx) => {
      const n = await trx('companies').where({ id: t.companyId, version: input.version }).update(patch);
      if (!n) throw conflict('settings_changed', 'Someone else changed the company information; reload and try again', { current: before });
      await this.audit.write(tt, { actor: actorId, action: 'company.update', old: before, new: input });
    });
    return this.view(t);
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
