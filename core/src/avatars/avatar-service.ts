import type http from 'node:http';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AGENT_AUTH_CHANGED } from '../auth/authenticator.ts';
import type { Bus } from '../infra/bus.ts';
import { randomToken } from '../infra/crypto.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { FileStorage } from '../files/file-storage.ts';
import { withSmallUpload } from '../files/small-upload.ts';
import { PluginEnablement } from '../plugins/plugin-enablement.ts';
import { SectionStore } from '../icons/section-store.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { AVATAR_MAX_BYTES, processAvatar } from './avatar-image.ts';
import { avatarSettingsSchema, type AvatarSettings } from './avatar-schema.ts';
import { avatarUrl } from './avatar-url.ts';

/** What the widget gets while avatars are on (AVATAR-RENDER-3); `null` URLs draw initials or the built-in picture. */
export interface WidgetAvatars {
  agent: { source: 'console' | 'custom'; url: string | null };
  visitorUrl: string | null;
  robotUrl: string | null;
}

/**
 * Window avatars (AVATAR §7.1.6) and agents' profile pictures (PROFILE-AVATAR-4):
 * uploads are checked and reduced to 96×96 before they are stored; the widget
 * learns about any picture only while the company has avatars on.
 */
@injectable()
export class AvatarService {
  private widget = new TtlCache<number, WidgetAvatars | null>(5000, (companyId) => this.loadWidget(companyId));

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Bus) private readonly bus: Bus,
    @inject(FileStorage) private readonly storage: FileStorage,
    @inject(SectionStore) private readonly store: SectionStore,
    @inject(PluginEnablement) private readonly plugins: PluginEnablement,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, 'avatars', avatarSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: AvatarSettings }) {
    const keys = (['agent', 'visitor', 'robot'] as const).filter((w) => input.settings[w].image);
    const known = new Set<string>(
      (
        await auth.tenant
          .q('avatar_images')
          .whereIn(
            'key',
            keys.map((w) => input.settings[w].image!),
          )
          .select('key')
      ).map((r: { key: string }) => r.key),
    );
    const bad = keys.filter((w) => !known.has(input.settings[w].image!));
    if (bad.length) throw fieldError(`settings.${bad[0]}.image`, 'unknown_image', 'No such uploaded avatar in this company');
    const before = (await this.get(auth.tenant)).settings;
    const saved = await this.store.put(auth, 'avatars', avatarSettingsSchema, input);
    this.widget.delete(auth.companyId);
    // A replaced custom image is no longer shown anywhere: its address stops working with it.
    const kept = new Set(keys.map((w) => input.settings[w].image));
    const dropped = (['agent', 'visitor', 'robot'] as const).map((w) => before[w].image).filter((k): k is string => !!k && !kept.has(k));
    if (dropped.length) await auth.tenant.q('avatar_images').whereIn('key', dropped).delete();
    return saved;
  }

  /** Receives one multipart `file`, checks and stores it; returns its key. */
  async upload(req: http.IncomingMessage, companyId: number): Promise<string> {
    const data = await withSmallUpload(this.storage, req, AVATAR_MAX_BYTES, 'An avatar', processAvatar);
    const key = randomToken(24);
    await new Tenant(this.db, companyId).insert('avatar_images', { key, data });
    return key;
  }

  /** PROFILE-AVATAR-4: the caller's own picture; the previous one is deleted. */
  async setProfile(auth: AuthInfo, req: http.IncomingMessage) {
    return this.replaceProfile(auth, await this.upload(req, auth.companyId));
  }

  /** Removing the picture falls back to initials on the theme colour. */
  removeProfile(auth: AuthInfo) {
    return this.replaceProfile(auth, null);
  }

  private async replaceProfile(auth: AuthInfo, key: string | null) {
    const before = await auth.tenant.q('agents').where({ id: auth.agent.id }).first('avatar_key');
    await auth.tenant.q('agents').where({ id: auth.agent.id }).update({ avatar_key: key });
    if (before?.avatar_key) await auth.tenant.q('avatar_images').where({ key: before.avatar_key }).delete();
    await this.bus.publish(AGENT_AUTH_CHANGED, { agentId: auth.agent.id });
    return { avatarUrl: avatarUrl(key) };
  }

  /** The image bytes behind a key, from any company: the key itself is the secret. */
  async image(key: string): Promise<Buffer> {
    const row = await this.db('avatar_images').where({ key }).first('data');
    if (!row) throw notFound('No such avatar');
    return Buffer.from(row.data);
  }

  /** AVATAR-RENDER-3: null while avatars are off, so the widget requests no images. */
  forWidget(companyId: number) {
    return this.widget.get(companyId);
  }

  /** The serving agent's picture for the visitor's window; 404 while avatars are off. */
  async agentForVisitor(companyId: number, agentId: number): Promise<{ name: string; url: string | null }> {
    const on = await this.forWidget(companyId);
    const agent = await new Tenant(this.db, companyId).q('agents').where({ id: agentId }).whereNull('deleted_at').first('nickname', 'avatar_key');
    if (!on || !agent) throw notFound(on ? 'No such agent' : 'Avatars are off');
    return { name: agent.nickname, url: on.agent.source === 'custom' ? on.agent.url : avatarUrl(agent.avatar_key) };
  }

  private async loadWidget(companyId: number): Promise<WidgetAvatars | null> {
    const s = (await this.get(new Tenant(this.db, companyId))).settings;
    if (!s.enabled) return null;
    const custom = (w: { source: string; image: string | null }) => (w.source === 'custom' ? avatarUrl(w.image) : null);
    const robot = await this.plugins.isEnabled(companyId, 'robot');
    return { agent: { source: s.agent.source, url: custom(s.agent) }, visitorUrl: custom(s.visitor), robotUrl: robot ? custom(s.robot) : null };
  }
}
