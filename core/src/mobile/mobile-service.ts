import fs from 'node:fs/promises';
import path from 'node:path';
import QRCode from 'qrcode';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { notFound, serviceUnavailable } from '../http/errors.ts';
import { SectionStore } from '../icons/section-store.ts';
import { IconService } from '../icons/icon-service.ts';
import { LANGS, type Lang } from '../settings/widget-defaults.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { widgetDist } from '../web/static-routes.ts';
import { mobileSettingsSchema, publicMobile, type MobileSettings } from './mobile-schema.ts';

/** MOBILE-LINK-4: the hosted chat page of a company, or of one icon (its binding applies). */
export const chatPagePath = (companyPublicId: number, iconKey?: string) => `/chat/${companyPublicId}${iconKey ? `/${iconKey}` : ''}`;

const attr = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** 手机对话窗口 (MOBILE §7.1.5): settings, what the widget gets on phones, and the hosted chat page. */
@injectable()
export class MobileService {
  private widget = new TtlCache<number, ReturnType<typeof publicMobile>>(5000, async (companyId) =>
    publicMobile((await this.get(new Tenant(this.db, companyId))).settings, await this.desktop.read(companyId)),
  );

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(SectionStore) private readonly store: SectionStore,
    @inject(WidgetSettingsService) private readonly desktop: WidgetSettingsService,
    @inject(IconService) private readonly icons: IconService,
  ) {}

  get(t: Tenant) {
    return this.store.get(t, 'mobile', mobileSettingsSchema);
  }

  async put(auth: AuthInfo, input: { version: number; settings: MobileSettings }) {
    const saved = await this.store.put(auth, 'mobile', mobileSettingsSchema, input);
    this.widget.delete(auth.companyId);
    return saved;
  }

  /** `null` while the mobile window is off: phones then get the desktop window, full screen under 600 px. */
  forWidget(companyId: number) {
    return this.widget.get(companyId);
  }

  /**
   * MOBILE-LINK-4: the chat window as a page of its own. It is the widget's
   * frame with the company and icon on the root element, so it needs no site
   * around it; an unknown or deleted icon is a 404 like its embed code.
   */
  async page(companyId: number, publicId: number, iconKey: string | undefined, lang: Lang | undefined): Promise<string> {
    if (iconKey && !(await this.icons.byKey(companyId, iconKey))) throw notFound('Unknown icon');
    const html = await fs.readFile(path.join(widgetDist, 'frame.html'), 'utf8').catch(() => {
      throw serviceUnavailable('widget_not_built', 'The widget is not built yet: run `npm run build:ui`');
    });
    const desktop = await this.desktop.read(companyId);
    const mobile = await this.forWidget(companyId);
    const l = lang ?? LANGS[0];
    const title = (mobile ? mobile.texts[l].title : desktop.texts[l].title) ?? '';
    const color = mobile?.themeColor ?? desktop.style.themeColor;
    const data = `data-company="${publicId}"${iconKey ? ` data-icon="${attr(iconKey)}"` : ''} data-hosted=""`;
    return html
      .replace(/<html lang="[^"]*"/, `<html lang="${l}" ${data}`)
      .replace(/<title>[^<]*<\/title>/, `<title>${attr(title)}</title><meta name="theme-color" content="${color}" />`);
  }

  /** MOBILE-LINK-4: an icon's hosted page address for the console, with `?lang=` when asked. */
  async iconLink(t: Tenant, iconId: number, origin: string, companyPublicId: number, lang: Lang | undefined): Promise<string> {
    const row = await t.q('icons').where({ id: iconId }).whereNull('deleted_at').first('key');
    if (!row) throw notFound('Unknown icon');
    return `${origin}${chatPagePath(companyPublicId, row.key)}${lang ? `?lang=${lang}` : ''}`;
  }

  /** The page's QR code as SVG, drawn on the server so the console needs no library. */
  qr(url: string): Promise<string> {
    return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }
}
