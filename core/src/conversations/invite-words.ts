import { visitorLang } from '../policies/policy-settings-schema.ts';
import { INVITE_TEXTS, LANGS, type Lang } from '../settings/widget-defaults.ts';
import type { InviteSettings } from '../settings/widget-settings-schema.ts';

export interface InviteWords {
  title: string;
  text: string;
  accept: string;
  decline: string;
}

/** A browser tag in one of the five languages, else the company default (STYLE-LANG-4). */
function languageOf(tag: string | null, companyLanguage: string): Lang {
  const t = (tag ?? '').toLowerCase();
  const known = /^(zh|en|ja|ko)(-|$)/.test(t);
  const lang = visitorLang(known ? t : companyLanguage);
  return (LANGS as readonly string[]).includes(lang) ? lang : 'zh-CN';
}

/**
 * What an invitation shows (INVITE-TEXT-5): the company's words in the
 * visitor's language, overridden by the rule that fired (INVITE-STRATEGY-4)
 * or by the inviting agent's own text (VISITOR-INVITE-9).
 */
export function inviteWords(
  s: InviteSettings,
  tag: string | null,
  companyLanguage: string,
  over: { strategy?: number | null; text?: string | null },
): InviteWords {
  const lang = languageOf(tag, companyLanguage);
  const rule = over.strategy ? s.strategies[over.strategy - 1] : undefined;
  const w = { ...INVITE_TEXTS[lang], ...s.texts[lang], ...rule?.texts[lang] };
  return { title: w.title, text: over.text ?? w.text, accept: w.accept, decline: w.decline };
}
