import { publicLeaveMessage, publicPrechat } from '@kefu/core/widget-forms';
import type { MobileSettings } from '@/api/avatars-mobile';
import type { WidgetSettings } from '@/api/settings';
import { LOCALES, type Locale } from '@/i18n/locales';

type Texts = Partial<Record<'title' | 'welcome' | 'waiting' | 'warning', string>>;

/** What the widget's preview page draws (widget/src/frame/preview.ts, STYLE-PREVIEW-6): the unsaved values in the widget's own shape. */
export interface PreviewConfig {
  lang: Locale;
  companyName: string;
  texts: Partial<Record<Locale, Texts>>;
  style: { themeColor: string; logo: string | null };
  toolbar: Partial<Record<'emoji' | 'image' | 'file' | 'screenshot' | 'rating' | 'saveTranscript', boolean>>;
  ad: { url: string; link: string | null; alt: Record<string, string> } | null;
  screen: PreviewScreen;
  prechat: ReturnType<typeof publicPrechat>;
  leaveMessage: ReturnType<typeof publicLeaveMessage>;
  /** The invitation's words in `lang` and its look (widget/src/invite), as the loader passes them. */
  invite: { words: WidgetSettings['invite']['texts'][Locale]; look: { mode: WidgetSettings['invite']['mode']; style: WidgetSettings['invite']['style']; theme: string } };
}

/** The chat, one of the visitor's forms (PRECHAT-SCREEN-9, LEAVESET-SCREEN-10) or the invitation (INVITE-SCREEN-9). */
export type PreviewScreen = 'chat' | 'prechat' | 'leave' | 'invite';

const pick = (t: Partial<Record<string, string | null | undefined>> | undefined): Texts => ({
  title: t?.title ?? '',
  welcome: t?.welcome ?? '',
  waiting: t?.waiting ?? '',
  warning: t?.warning ?? '',
});

/**
 * The desktop settings as the widget's setup answer would carry them once saved (core widget-settings-service
 * publicConfig); with `mobile`, the mobile window's overrides over them as core/src/mobile/mobile-schema.ts publicMobile
 * resolves them (a text or colour left empty inherits the desktop one). Plain data: it goes through postMessage.
 */
export function previewConfig(
  s: WidgetSettings,
  lang: Locale,
  companyName: string,
  mobile?: MobileSettings['window'] | null,
  screen: PreviewScreen = 'chat',
): PreviewConfig {
  const texts = Object.fromEntries(
    LOCALES.map((l) => {
      const own = mobile ? Object.entries({ ...mobile.texts[l], title: mobile.title[l] }).filter(([, v]) => v) : [];
      return [l, pick({ ...s.texts[l], ...Object.fromEntries(own) })];
    }),
  );
  const theme = mobile?.themeColor ?? s.style.themeColor;
  // As the setup answer sends it: an address, for the custom template alone.
  const inviteImage = s.invite.style.template === 'custom' && s.invite.style.image ? `/style-images/${s.invite.style.image}` : null;
  const ad = !mobile && s.ad.enabled && s.ad.image ? { url: `/style-images/${s.ad.image}`, link: s.ad.link, alt: { ...s.ad.alt } } : null;
  return JSON.parse(
    JSON.stringify({
      lang,
      companyName,
      texts,
      style: { themeColor: theme, logo: s.style.logo ? `/style-images/${s.style.logo}` : null },
      toolbar: { ...s.toolbar, ...(mobile?.toolbar ?? {}) },
      ad,
      screen,
      prechat: publicPrechat(s.prechat),
      leaveMessage: publicLeaveMessage(s.leaveMessage),
      invite: { words: s.invite.texts[lang], look: { mode: s.invite.mode, style: { ...s.invite.style, image: inviteImage }, theme } },
    }),
  ) as PreviewConfig;
}
