import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from './auth-info.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { SectionStore } from '../icons/section-store.ts';

/**
 * The login part of 工作台与登录 (MAIN-SETTINGS-10), one versioned document of `service_sections`.
 * The visitor list scope of the same sub-tab keeps its own document (VISITOR-SCOPE-4).
 */
export const workbenchSettingsSchema = z.strictObject({
  /** 同一客服ID多处登录 (LOGIN-MULTI-8): allow up to MAX_SESSIONS_PER_AGENT, or a new login ends the others. */
  multiLogin: z.enum(['allow', 'forbid']).default('allow'),
  /** A console session without 自动登录 ends after this many hours without activity (LOGIN-SESSION-7). */
  idleHours: z.number().int().min(1).max(72).default(12),
  /** 自动登录 lifetime, renewed on use; 0 = no persistent sessions (LOGIN-AUTOLOGIN-10). */
  autoLoginDays: z.number().int().min(0).max(90).default(30),
  /** 首次登录修改密码: the default of an agent's "change at first login" box (LOGIN-FIRSTPW-15). */
  firstLoginPasswordChange: z.boolean().default(true),
});
export type WorkbenchSettings = z.output<typeof workbenchSettingsSchema>;

/** LOGIN-MULTI-8: sessions one agent may hold at once while several places are allowed. */
export const MAX_SESSIONS_PER_AGENT = 10;
const SECTION = 'workbench';

/** Saves reach every node within 5 s through the per-node cache (MAIN-SETTINGS-10). */
@injectable()
export class WorkbenchSettingsService {
  private cache = new TtlCache<number, WorkbenchSettings>(5000, async (companyId) => (await this.get(new Tenant(this.db, companyId))).settings);

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(SectionStore) private readonly store: SectionStore,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, SECTION, workbenchSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: WorkbenchSettings }) {
    const saved = await this.store.put(auth, SECTION, workbenchSettingsSchema, input);
    this.cache.delete(auth.companyId);
    return saved;
  }

  /** What sessions and logins apply at run time. */
  read(companyId: number): Promise<WorkbenchSettings> {
    return this.cache.get(companyId);
  }
}
