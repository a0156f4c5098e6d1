import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { PluginEnablement } from '../plugins/plugin-enablement.ts';
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
    @inject(PluginEnablement) private readonly plugins: PluginEnablement,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, 'tags', tagSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: TagSettings }) {
    const saved = await this.store.put(auth, 'tags', tagSettingsSchema, input);
    this.cache.delete(auth.companyId);
    return saved;
  }

  /** TAG-ROUTE-2: robot-target tags are left out while the robot plugin is disabled for the company. */
  async forWidget(companyId: number) {
    const [tags, robot] = await Promise.all([this.cache.get(companyId), this.plugins.isEnabled(companyId, 'robot')]);
    return robot ? tags : tags.filter((t) => t.target !== 'robot');
  }
}
