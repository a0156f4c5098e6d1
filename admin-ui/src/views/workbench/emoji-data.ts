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
import { loadEmoji, type EmojiDataLang } from '@kefu/core/emoji';

/** Where the build put the emoji data files (CONV-EMOJI-20); they are fetched when the picker first opens. */
const URLS: Record<EmojiDataLang, { data: string; messages: string }> = {
  zh: { data: zhData, messages: zhMessages },
  'zh-hant': { data: zhHantData, messages: zhHantMessages },
  en: { data: enData, messages: enMessages },
  ja: { data: jaData, messages: jaMessages },
  ko: { data: koData, messages: koMessages },
};

export const consoleEmoji = (locale: string) => loadEmoji(locale, (l) => URLS[l]);
