import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { forbiddenCode } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { SectionStore } from '../icons/section-store.ts';
import { lookupRegion } from '../visitors/visit-info.ts';
import { REGION_NOTICE, regionServed, regionSettingsSchema, type RegionSettings } from './region-schema.ts';

/** What a visitor's widget is told about the service region (REGION-RENDER-5). */
export interface RegionVerdict {
  served: boolean;
  notice: Record<string, string>;
  leaveMessage: boolean;
}

/** The company's service region (REGION §7.4), checked on the IP of each request; saves reach every node within 5 s. */
@injectable()
export class RegionService {
  private cache = new TtlCache<number, RegionSettings>(5000, async (companyId) => (await this.get(new Tenant(this.db, companyId))).settings);

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(SectionStore) private readonly store: SectionStore,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, 'region', regionSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: RegionSettings }) {
    const saved = await this.store.put(auth, 'region', regionSettingsSchema, input);
    this.cache.delete(auth.companyId);
    return saved;
  }

  async verdict(companyId: number, ip: string): Promise<RegionVerdict> {
    const s = await this.cache.get(companyId);
    return {
      served: regionServed(s, lookupRegion(ip)),
      notice: { ...REGION_NOTICE, ...Object.fromEntries(Object.entries(s.notice).filter(([, v]) => v)) },
      leaveMessage: s.leaveMessage,
    };
  }

  /** A test of many IPs at once (the visitor list, TOOLBAR-VISITORBTNS-6): no lookups while the region is off. */
  async servedTest(companyId: number): Promise<(ip: string | null) => boolean> {
    const s = await this.cache.get(companyId);
    return s.enabled ? (ip) => regionServed(s, lookupRegion(ip ?? '')) : () => true;
  }

  /** REGION-ENFORCE-2: chats (and invitations) are refused outside the served region. */
  async admit(companyId: number, ip: string): Promise<void> {
    const v = await this.verdict(companyId, ip);
    if (!v.served) throw forbiddenCode('region_not_served', v.notice.en, { notice: v.notice, leaveMessage: v.leaveMessage });
  }
}
