import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { SectionStore } from './section-store.ts';
import { publicTags, tagSettingsSchema, type TagSettings } from './tag-schema.ts';

/** Custom tags (TAG §7.1.7), served to the widget from a 5-second cache. */
@injectable()
export class TagService {
  private cache = new TtlCache<number, ReturnType<typeof publicTags>>(5000, async (companyId) =>
    publicTags((await this.get(new Tenant(this.db, companyId))).settings),
  );

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(SectionStore) private readonly store: SectionStore,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, 'tags', tagSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: TagSettings }) {
    const saved = await this.store.put(auth, 'tags', tagSettingsSchema, input);
    this.cache.delete(auth.companyId);
    return saved;
  }

  forWidget(companyId: number) {
    return this.cache.get(companyId);
  }
}
