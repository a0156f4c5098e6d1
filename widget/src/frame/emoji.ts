/**
 * The emoji picker (CONV-EMOJI-20), the same as the console's: Unicode emoji in categories, the visitor's 24 most recently
 * used (kept in this browser) and search by keyword in the window's language or English. The data files are fetched the
 * first time the panel opens, so they cost the window nothing until then; the system's emoji font draws them.
 */
import zhData from 'emojibase-data/zh/compact.json?url';
import zhMessages from 'emojibase-data/zh/messages.json?url';
import zhHantData from 'emojibase-data/zh-hant/compact.json?url';
import zhHantMessages from 'emojibase-data/zh-hant/messages.json?url';
import enData from 'emojibase-data/en/compact.json?url';
import enMessages from 'emojibase-data/en/messages.json?url';
import jaData from 'emojibase-data/ja/compact.json?url';
import jaMessages from 'emojibase-data/ja/messages.json?url';
import koData from 'emojibase-data/ko/compact.json?url';
import koMessages from 'emojibase-data/ko/messages.json?url';
import { EMOJI_GROUPS, loadEmoji, rememberEmoji, searchEmoji, type EmojiCatalog, type EmojiDataLang, type EmojiEntry } from '@kefu/core/emoji';
import { language, t } from './i18n.ts';

const URLS: Record<EmojiDataLang, { data: string; messages: string }> = {
  zh: { data: zhData, messages: zhMessages },
  'zh-hant': { data: zhHantData, messages: zhHantMessages },
  en: { data: enData, messages: enMessages },
  ja: { data: jaData, messages: jaMessages },
  ko: { data: koData, messages: koMessages },
};
const RECENT_KEY = 'kefu.emoji.recent';

function readRecent(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((e) => typeof e === 'string').slice(0, 24) : [];
  } catch {
    return [];
  }
}

const node = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text = '') => {
  const n = document.createElement(tag);
  n.className = cls;
  n.textContent = text;
  return n;
};

export function setupEmoji(button: HTMLButtonElement, panel: HTMLElement, input: HTMLTextAreaElement) {
  let catalog: EmojiCatalog | null = null;
  let group = EMOJI_GROUPS[0].group;
  const search = node('input', 'emoji-search');
  search.type = 'search';
  const tabs = node('div', 'emoji-tabs');
  tabs.setAttribute('role', 'tablist');
  const grid = node('div', 'emoji-grid');
  const recentRow = node('div', 'emoji-grid emoji-recent');
  const note = node('p', 'emoji-note');
  panel.replaceChildren(search, recentRow, tabs, note, grid);

  const toggle = (open: boolean) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (!open) return;
    search.value = '';
    void fill().then(() => search.focus());
  };
  const cell = (unicode: string, label: string) => {
    const b = node('button', 'emoji-cell', unicode);
    b.type = 'button';
    b.title = label;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', () => insert(unicode));
    return b;
  };
  function insert(e: string) {
    const at = input.selectionStart ?? input.value.length;
    input.setRangeText(e, at, input.selectionEnd ?? at, 'end');
    input.dispatchEvent(new Event('input'));
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(rememberEmoji(readRecent(), e)));
    } catch {
      // Storage off: the recent row stays as it was.
    }
    toggle(false);
    input.focus();
  }
  function draw() {
    search.placeholder = t('emojiSearch');
    const q = search.value.trim();
    const recent = readRecent();
    recentRow.hidden = !!q || !recent.length;
    recentRow.setAttribute('aria-label', t('emojiRecent'));
    recentRow.replaceChildren(...recent.map((e) => cell(e, e)));
    tabs.hidden = !!q;
    tabs.replaceChildren(
      ...EMOJI_GROUPS.map((g) => {
        const b = node('button', 'emoji-tab', g.icon);
        b.type = 'button';
        b.setAttribute('role', 'tab');
        b.setAttribute('aria-selected', String(g.group === group));
        b.title = catalog?.groupNames[g.group] ?? '';
        b.addEventListener('click', () => {
          group = g.group;
          draw();
        });
        return b;
      }),
    );
    const shown: EmojiEntry[] = catalog ? (q ? searchEmoji(catalog.entries, q) : catalog.entries.filter((e) => e.group === group)) : [];
    note.textContent = !catalog ? t('emojiLoading') : shown.length ? '' : t('emojiNone');
    grid.replaceChildren(...shown.map((e) => cell(e.unicode, e.label)));
  }
  async function fill() {
    draw();
    try {
      catalog = await loadEmoji(language(), (l) => URLS[l]);
    } catch {
      note.textContent = t('failed');
      return;
    }
    draw();
  }
  search.addEventListener('input', draw);
  button.addEventListener('click', () => toggle(panel.hidden));
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      toggle(false);
      button.focus();
    }
  });
}
