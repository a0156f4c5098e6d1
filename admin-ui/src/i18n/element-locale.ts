import en from 'element-plus/es/locale/lang/en.mjs';
import ja from 'element-plus/es/locale/lang/ja.mjs';
import ko from 'element-plus/es/locale/lang/ko.mjs';
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs';
import zhTw from 'element-plus/es/locale/lang/zh-tw.mjs';
import type { Locale } from './locales';

/** Element Plus's own texts (pagination, date picker, dialogs) in each console language. */
export const elementLocales = {
  'zh-CN': zhCn,
  'zh-TW': zhTw,
  en,
  ja,
  ko,
} satisfies Record<Locale, unknown>;
