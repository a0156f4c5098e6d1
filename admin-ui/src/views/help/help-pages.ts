import type { Locale } from '@/i18n/locales';

/** The user guide's pages (SPEC MENU-HELP-4), in reading order; `paths` are the screens whose ? opens the page. */
export const HELP_PAGES = [
  { id: 'index', paths: [] },
  { id: 'login', paths: ['/login', '/forgot-password', '/reset-password', '/change-password'] },
  { id: 'workbench', paths: ['/workbench'] },
  { id: 'history', paths: ['/history'] },
  { id: 'leave-messages', paths: ['/leave-messages'] },
  { id: 'collaboration', paths: ['/notices'] },
  { id: 'agents', paths: ['/agents', '/groups', '/settings/assignment', '/assignment/queue'] },
  {
    id: 'chat-window',
    paths: [
      '/settings/icons',
      '/settings/chat-window',
      '/settings/invite',
      '/settings/prechat',
      '/settings/leave-message',
      '/settings/tags',
      '/settings/region',
      '/settings/avatars',
      '/settings/mobile',
      '/settings/conversation',
    ],
  },
  { id: 'security', paths: ['/login-log', '/settings/login-ip', '/settings/blocking'] },
  { id: 'company', paths: ['/company', '/billing', '/settings/plugins', '/confirm-company-email'] },
  { id: 'my-settings', paths: ['/profile', '/preferences', '/agent-tools'] },
  { id: 'feedback', paths: ['/feedback'] },
  { id: 'support', paths: [] },
] as const satisfies readonly { id: string; paths: readonly string[] }[];

export type HelpPageId = (typeof HELP_PAGES)[number]['id'];
export type HelpLocale = 'zh-CN' | 'en';

/** The guide is written in zh-CN and en; Traditional Chinese reads Simplified, other languages English. */
export const helpLocale = (locale: Locale): HelpLocale => (locale.startsWith('zh') ? 'zh-CN' : 'en');

/** Bundled with the console, so the guide is served by the Kefu server itself and works offline once loaded. */
const sources = import.meta.glob<string>('./pages/*/*.html', { query: '?raw', import: 'default', eager: true });

export interface HelpPage {
  id: HelpPageId;
  title: string;
  html: string;
  /** The page's words without markup, for search. */
  text: string;
}

const textOf = (html: string) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
};

/** Every page in one language, in reading order. */
export function helpPages(locale: HelpLocale): HelpPage[] {
  return HELP_PAGES.map(({ id }) => {
    const html = sources[`./pages/${locale}/${id}.html`] ?? '';
    const title = textOf(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? id);
    return { id, title, html, text: textOf(html) };
  });
}

/** The page about the screen at `path` (a screen's ? icon), or the overview. */
export function helpPageFor(path: string): HelpPageId {
  const page = HELP_PAGES.find((p) => (p.paths as readonly string[]).some((prefix) => path === prefix || path.startsWith(prefix + '/')));
  return page?.id ?? 'index';
}

export const isHelpPage = (id: unknown): id is HelpPageId => HELP_PAGES.some((p) => p.id === id);

/** Pages whose text holds every word of the query (case-insensitive), with the first match in context. */
export function searchHelp(pages: HelpPage[], query: string): { page: HelpPage; snippet: string }[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return pages
    .filter((page) => words.every((w) => (page.title + ' ' + page.text).toLowerCase().includes(w)))
    .map((page) => {
      const at = page.text.toLowerCase().indexOf(words[0]);
      const start = Math.max(0, at - 30);
      const snippet = at < 0 ? page.text.slice(0, 80) : (start ? '…' : '') + page.text.slice(start, at + 60) + '…';
      return { page, snippet };
    });
}
