import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type { Logger } from '../infra/logger.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { RoutingService } from '../conversations/routing-service.ts';
import { conflict, notFound, validationFailed } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { StyleImageService, styleImageUrl } from './style-image-service.ts';
import { textOn } from './contrast.ts';
import { type Lang, WINDOW_TEXTS } from './widget-defaults.ts';
import { readWidgetSettings, type WidgetSettings } from './widget-settings-schema.ts';
import { publicLeaveMessage, publicPrechat } from './widget-forms.ts';
import { prechatExtras, type PrechatExtras } from './prechat-extras.ts';

export interface StoredWidgetSettings {
  version: number;
  settings: WidgetSettings;
  updatedAt: string | null;
  updatedBy: number | null;
}

/** How long a node serves the public config from memory: a save is visible everywhere within this time. */
export const WIDGET_CONFIG_TTL_MS = 5000;

/**
 * Chat window settings per company (WINDOW, PRECHAT, LEAVESET): versioned
 * (`409 settings_changed`), audited, and served to the widget from a short cache.
 */
@injectable()
export class WidgetSettingsService {
  private cache = new Map<number, { at: number; value: Promise<Record<string, unknown>> }>();

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(StyleImageService) private readonly images: StyleImageService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(TOKENS.Logger) private readonly log: Logger,
  ) {}

  /** The items and labels enabled plugins give the pre-chat form through `widget.config` (PRECHAT-CRMFIELDS-6). */
  prechatExtras(companyId: number): Promise<PrechatExtras> {
    return prechatExtras(this.hooks, this.log, companyId);
  }

  async get(t: Tenant): Promise<StoredWidgetSettings> {
    const row = await t.q('widget_settings').first();
    return {
      version: row?.version ?? 0,
      settings: readWidgetSettings(row?.settings),
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      updatedBy: row?.updated_by == null ? null : Number(row.updated_by),
    };
  }

  /** The settings a feature reads (defaults when the company never saved). */
  async read(companyId: number): Promise<WidgetSettings> {
    return (await this.get(new Tenant(this.db, companyId))).settings;
  }

  /** Replaces the document; `version` is the one the caller read (0 before the first save). */
  async put(auth: AuthInfo, input: { version: number; settings: WidgetSettings }): Promise<StoredWidgetSettings> {
    await this.checkGroups(auth.tenant, input.settings);
    await this.checkTypesInUse(auth.tenant, input.settings);
    await this.images.check(auth.tenant, input.settings);
    const saved = await auth.tenant.transaction(async (t) => {
      const before = await t.q('widget_settings').forUpdate().first();
      const current = before?.version ?? 0;
      if (current !== input.version) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again', { version: current });
      const row = { settings: JSON.stringify(input.settings), version: current + 1, updated_at: new Date(), updated_by: auth.agent.id };
      if (before) await t.q('widget_settings').update(row);
      else {
        const inserted = await t.insert('widget_settings', row).onConflict('company_id').ignore().returning('company_id');
        if (!inserted.length) throw conflict('settings_changed', 'Someone else changed these settings; reload and try again');
      }
      await this.audit.write(t, {
        actor: auth.agent.id,
        action: 'settings.widget.update',
        target: 'widget_settings',
        old: before ? before.settings : undefined,
        new: input.settings,
      });
      await this.images.dropReplaced(t, readWidgetSettings(before?.settings), input.settings);
      return this.get(t);
    });
    this.cache.delete(auth.companyId);
    return saved;
  }

  /**
   * LEAVESET-TYPES-6: a leave-message type still set on leave-messages cannot simply vanish; the caller first moves
   * them to another type or to 未设置 (POST /api/settings/leave-message/types/replace), then saves.
   */
  private async checkTypesInUse(t: Tenant, s: WidgetSettings) {
    const before = (await this.read(t.companyId)).leaveMessage.types;
    const dropped = before.filter((x) => !s.leaveMessage.types.includes(x));
    if (!dropped.length) return;
    const used = await t.q('leave_messages').whereIn('type', dropped).groupBy('type').select('type').count<{ type: string; n: string }[]>('* as n');
    if (used.length)
      throw conflict('type_in_use', 'Leave-messages still have this type: choose a replacement first', {
        types: used.map((u) => ({ type: u.type, count: Number(u.n) })),
      });
  }

  /** Question types may only route to groups of this company. */
  private async checkGroups(t: Tenant, s: WidgetSettings) {
    const ids = [...new Set(s.prechat.questionTypes.map((q) => q.groupId).filter((g): g is number => g != null))];
    if (!ids.length) return;
    const known = new Set((await t.q('groups').whereIn('id', ids).select('id')).map((r: { id: string | number }) => Number(r.id)));
    const bad = s.prechat.questionTypes.flatMap((q, i) =>
      q.groupId != null && !known.has(q.groupId)
        ? [{ path: `settings.prechat.questionTypes.${i}.groupId`, code: 'unknown_group', message: `No group ${q.groupId}` }]
        : [],
    );
    if (bad.length) throw validationFailed(bad);
  }

  /** GET /api/widget/config: what a visitor may see, by the company's public ID; cached ≤ 5 s per node. */
  async publicConfig(publicId: number): Promise<Record<string, unknown>> {
    const company = await this.db('companies').where({ public_id: publicId, status: 'active' }).first('id', 'name');
    if (!company) throw notFound('Unknown company');
    const companyId = Number(company.id);
    const hit = this.cache.get(companyId);
    if (hit && Date.now() - hit.at < WIDGET_CONFIG_TTL_MS) return hit.value;
    const value = this.buildPublic(companyId, publicId, company.name);
    this.cache.set(companyId, { at: Date.now(), value });
    value.catch(() => this.cache.delete(companyId));
    return value;
  }

  private async buildPublic(companyId: number, publicId: number, companyName: string): Promise<Record<string, unknown>> {
    const s = await this.read(companyId);
    const state = await this.routing.serviceState(companyId, null);
    const extras = await this.prechatExtras(companyId);
    const prechat = publicPrechat(s.prechat);
    return {
      companyId: publicId,
      // WINDOW-BRAND-6: `{company}` in the window title.
      companyName,
      online: state !== 'offline',
      busy: state === 'busy',
      // WINDOW-INPAGE-8 vs ICON-TYPES-3: the bar icon shows the company's own guide text; until one is written it keeps
      // the icon's words (在线咨询 / Chat online), so the default guide is not sent.
      texts: Object.fromEntries(Object.entries(s.texts).map(([l, x]) => [l, x.guide === WINDOW_TEXTS[l as Lang].guide ? { ...x, guide: undefined } : x])),
      style: { ...s.style, logo: s.style.logo && styleImageUrl(s.style.logo), themeText: textOn(s.style.themeColor) },
      toolbar: s.toolbar,
      icon: s.icon,
      // Automatic invitations are decided on the server (INVITE-AUTO-3): their rules never reach the page.
      invite: (({ auto: _auto, strategies: _rules, style, ...shown }) => ({
        ...shown,
        // INVITE-STYLE-6: the background belongs to the custom template alone.
        style: { ...style, image: style.template === 'custom' && style.image ? styleImageUrl(style.image) : null },
      }))(s.invite),
      prechat: {
        ...prechat,
        // Plugins' items follow the standard ones; a renamed standard item carries its `label` (PRECHAT-CRMFIELDS-6).
        fields: [...prechat.fields.map((f) => (extras.labels[f.key] ? { ...f, label: extras.labels[f.key] } : f)), ...extras.fields],
      },
      leaveMessage: publicLeaveMessage(s.leaveMessage),
      // WINDOW-AD-3: nothing about the advertisement leaves the server while it is off.
      ad: s.ad.enabled && s.ad.image ? { url: styleImageUrl(s.ad.image), link: s.ad.link, alt: s.ad.alt } : null,
    };
  }
}
