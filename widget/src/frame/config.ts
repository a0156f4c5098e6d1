import { language } from './i18n.ts';

/** What GET /api/widget/setup answers (core/src/icons/widget-setup.ts over the settings' publicConfig). */
export interface FieldDef {
  key: string;
  required: boolean;
  /** PRECHAT-CRMFIELDS-6: a plugin's item, or a standard one a plugin renamed, brings its own label and kind. */
  label?: PerLang<string>;
  type?: 'text' | 'longtext' | 'number' | 'date' | 'choice';
  options?: string[];
}
type PerLang<T> = Record<string, T>;
export interface WidgetConfig {
  online: boolean;
  /** Agents are on duty but all 忙碌: the busy text precedes the queue (TOOLBAR-BUSY-10). */
  busy?: boolean;
  texts: PerLang<Record<'title' | 'welcome' | 'closing' | 'busy' | 'waiting' | 'warning' | 'offline', string>>;
  /** WINDOW-BRAND-6: `themeText` is the text colour the server chose for the theme colour; `language` 'auto' or a fixed one. */
  style: { themeColor: string; themeText?: string; language?: string; logo?: string | null };
  /** `{company}` in the title. */
  companyName?: string;
  toolbar: Record<'emoji' | 'image' | 'file' | 'screenshot' | 'rating' | 'sound' | 'saveTranscript' | 'emailTranscript', boolean>;
  prechat: { enabled: boolean; welcome: PerLang<string>; fields: FieldDef[]; questionTypes: { id: string; label: PerLang<string> }[] };
  leaveMessage: {
    enabled: boolean;
    externalUrl: string | null;
    texts: PerLang<{ title: string; intro: string; thanks: string }>;
    fields: FieldDef[];
    requireContact: boolean;
  };
  /** TAG-RENDER-3: enabled custom tags, in order. */
  tags: { id: string; label: PerLang<string>; text: PerLang<string>; target: 'robot' | 'agent' }[];
  /** REGION-RENDER-5: whether this visitor's region is served, and what to show if not. */
  region: { served: boolean; notice: PerLang<string>; leaveMessage: boolean };
  /** The embedded icon (`data-icon`); `kind` email always opens the leave-message form (ICON-TYPES-3). */
  icon?: { key: string; kind: string; entries?: { kind: 'agent' | 'group'; id: number; name: PerLang<string>; online: boolean }[] };
}

/** A per-language value in the visitor's language, else the first one set (the company default is served first). */
export function inLang<T>(v: PerLang<T> | undefined): T | undefined {
  if (!v) return undefined;
  return v[language()] ?? Object.values(v)[0];
}

export async function loadConfig(company: string, icon: string): Promise<WidgetConfig | null> {
  try {
    const r = await fetch(`/api/widget/setup?c=${encodeURIComponent(company)}&i=${encodeURIComponent(icon)}`);
    return r.ok ? ((await r.json()) as WidgetConfig) : null;
  } catch {
    return null;
  }
}
