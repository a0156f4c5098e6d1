import { language } from './i18n.ts';

/** What GET /api/widget/config answers (core/src/settings/widget-settings-service.ts, publicConfig). */
export interface FieldDef {
  key: string;
  required: boolean;
}
type PerLang<T> = Record<string, T>;
export interface WidgetConfig {
  online: boolean;
  texts: PerLang<Record<'title' | 'welcome' | 'closing' | 'busy' | 'waiting' | 'warning' | 'offline', string>>;
  style: { themeColor: string };
  toolbar: Record<'emoji' | 'image' | 'file' | 'screenshot' | 'rating' | 'sound', boolean>;
  prechat: { enabled: boolean; welcome: PerLang<string>; fields: FieldDef[]; questionTypes: { id: string; label: PerLang<string> }[] };
  leaveMessage: {
    enabled: boolean;
    externalUrl: string | null;
    texts: PerLang<{ title: string; intro: string; thanks: string }>;
    fields: FieldDef[];
    requireContact: boolean;
  };
}

/** A per-language value in the visitor's language, else the first one set (the company default is served first). */
export function inLang<T>(v: PerLang<T> | undefined): T | undefined {
  if (!v) return undefined;
  return v[language()] ?? Object.values(v)[0];
}

export async function loadConfig(company: string): Promise<WidgetConfig | null> {
  try {
    const r = await fetch(`/api/widget/config?c=${encodeURIComponent(company)}`);
    return r.ok ? ((await r.json()) as WidgetConfig) : null;
  } catch {
    return null;
  }
}
