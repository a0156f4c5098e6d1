import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { notFound } from '../http/errors.ts';
import { RoutingService, type ServiceState } from '../conversations/routing-service.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { RegionService } from '../region/region-service.ts';
import { IconService } from './icon-service.ts';
import { styleImageUrl } from '../settings/style-image-service.ts';
import type { IconBody } from './icon-schemas.ts';
import { TagService } from './tag-service.ts';
import { AvatarService } from '../avatars/avatar-service.ts';
import { MobileService } from '../mobile/mobile-service.ts';
import { LANGS } from '../settings/widget-defaults.ts';

const DRAWN: Record<IconBody['type'], 'float' | 'fixed' | 'text'> = { float: 'float', fixed: 'fixed', text: 'text', group: 'float', email: 'float' };

/**
 * The widget's configuration for one page (STYLE-CONFIG-3): the company's
 * public config with the embedded icon's look and online state (ICON-TYPES-3,
 * ICON-STATE-7), the custom tags (TAG-RENDER-3) and the region verdict for the
 * caller's IP (REGION-RENDER-5).
 */
@injectable()
export class WidgetSetup {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(WidgetSettingsService) private readonly settings: WidgetSettingsService,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(IconService) private readonly icons: IconService,
    @inject(TagService) private readonly tags: TagService,
    @inject(RegionService) private readonly region: RegionService,
    @inject(AvatarService) private readonly avatars: AvatarService,
    @inject(MobileService) private readonly mobile: MobileService,
  ) {}

  async companyOf(publicId: number): Promise<number> {
    const c = await this.db('companies').where({ public_id: publicId, status: 'active' }).first('id');
    if (!c) throw notFound('Unknown company');
    return Number(c.id);
  }

  /** `origin`: the server's public address, for the absolute image addresses the loader draws on the host page. */
  async forPage(publicId: number, iconKey: string | undefined, ip: string, origin: string): Promise<Record<string, unknown>> {
    const companyId = await this.companyOf(publicId);
    const base = await this.settings.publicConfig(publicId);
    const [tags, region, avatars, mobile] = await Promise.all([
      this.tags.forWidget(companyId),
      this.region.verdict(companyId, ip),
      this.avatars.forWidget(companyId),
      this.mobile.forWidget(companyId),
    ]);
    const config: Record<string, unknown> = { ...base, tags, region, avatars, mobile };
    if (!iconKey) return config;
    const found = await this.icons.byKey(companyId, iconKey);
    // ICON-RENDER-8: an unknown or deleted key draws nothing.
    if (!found) throw notFound('Unknown icon');
    const icon = found.icon;
    const style = base.style as Record<string, unknown>;
    const names = await this.entryNames(companyId, icon.entries);
    // ICON-GROUP-6: each entry's own state; an offline one leads to the leave-message form. Entries whose agent or group is gone are left out.
    const entries = await Promise.all(
      icon.entries
        .filter((e) => names.has(`${e.kind}:${e.id}`))
        .map(async (e) => ({
          ...e,
          // Languages without a name of their own show the default one.
          name: { ...Object.fromEntries(LANGS.map((l) => [l, names.get(`${e.kind}:${e.id}`)])), ...e.name },
          online: await this.online(companyId, { binding: e.kind === 'group' ? { kind: 'group', groupId: e.id } : { kind: 'agent', agentId: e.id } }),
        })),
    );
    const state = icon.type === 'email' ? 'offline' : await this.state(companyId, icon);
    const img = icon.image;
    return {
      ...config,
      online: state !== 'offline',
      busy: state === 'busy',
      // `type` is how the loader draws it (group and email icons float); `kind` is what a click does.
      icon: {
        key: iconKey,
        type: DRAWN[icon.type],
        kind: icon.type,
        language: icon.language,
        text: icon.text,
        style: icon.style,
        entries,
        // ICON-IMAGE-4: uploaded images replace the drawn button: the one for the current state while anyone serves, and the offline one.
        image:
          img.source === 'custom'
            ? [origin + styleImageUrl(state === 'busy' ? (img.busy ?? img.online) : img.online), origin + styleImageUrl(img.offline)]
            : null,
        alt: icon.alt,
      },
      // Every floating icon (group and email icons float too) keeps its own corner, so several on one page need not overlap.
      style: DRAWN[icon.type] === 'float' ? { ...style, position: icon.float.position, marginX: icon.float.offsetX, marginY: icon.float.offsetY } : style,
    };
  }

  /**
   * ICON-GROUP-6: the default display name of each live entry, by `kind:id`: the group's name, or the
   * agent's nickname (never the real name, which only colleagues see, AGENT-FIELDS-3).
   */
  private async entryNames(companyId: number, entries: IconBody['entries']): Promise<Map<string, string>> {
    const ids = (kind: 'agent' | 'group') => entries.filter((e) => e.kind === kind).map((e) => e.id);
    const [agents, groups] = await Promise.all([
      this.db('agents').where({ company_id: companyId }).whereIn('id', ids('agent')).whereNull('disabled_at').whereNull('deleted_at').select('id', 'nickname'),
      this.db('groups').where({ company_id: companyId }).whereIn('id', ids('group')).select('id', 'name'),
    ]);
    return new Map([...agents.map((a): [string, string] => [`agent:${a.id}`, a.nickname]), ...groups.map((g): [string, string] => [`group:${g.id}`, g.name])]);
  }

  /** ICON-STATE-7 for the icon's scope: its agent, its group, or the whole company. */
  async state(companyId: number, icon: Pick<IconBody, 'binding'>): Promise<ServiceState> {
    const b = icon.binding;
    if (b.kind !== 'agent') return this.routing.serviceState(companyId, b.kind === 'group' ? b.groupId : null);
    const all = await this.routing.candidates(companyId, null, await this.routing.settings(companyId));
    const status = all.find((c) => c.agentId === b.agentId && c.canAccept)?.status;
    return status === 'online' || status === 'busy' ? status : 'offline';
  }

  async online(companyId: number, icon: Pick<IconBody, 'binding'>): Promise<boolean> {
    return (await this.state(companyId, icon)) !== 'offline';
  }
}
