import type { FormItemRule } from 'element-plus';
import { i18n } from '@/i18n';

/**
 * Form rules for Element Plus forms, with messages in the console language. Build them inside a
 * `computed` so the messages follow the language switch. Lengths count characters after trimming.
 */
const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});
const chars = (value: unknown) => [...String(value ?? '').trim()].length;
const blank = (value: unknown) => value === null || value === undefined || String(value).trim() === '';

type Check = (value: unknown) => boolean;

function rule(check: Check, message: () => string, trigger: FormItemRule['trigger'] = 'blur'): FormItemRule {
  return {
    trigger,
    validator: (_rule, value, callback) => (check(value) ? callback() : callback(new Error(message()))),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-() ]*$/;

export const rules = {
  required: (): FormItemRule => ({
    ...rule(
      (v) => !blank(v),
      () => t('common.validation.required'),
    ),
    required: true,
  }),
  maxLength: (max: number) =>
    rule(
      (v) => chars(v) <= max,
      () => t('common.validation.maxLength', { max }),
    ),
  length: (min: number, max: number) =>
    rule(
      (v) => blank(v) || (chars(v) >= min && chars(v) <= max),
      () => t('common.validation.lengthRange', { min, max }),
    ),
  email: () =>
    rule(
      (v) => blank(v) || (EMAIL.test(String(v).trim()) && chars(v) <= 254),
      () => t('common.validation.email'),
    ),
  phone: () =>
    rule(
      (v) => blank(v) || (PHONE.test(String(v)) && chars(v) <= 30),
      () => t('common.validation.phone'),
    ),
  url: () =>
    rule(
      (v) => blank(v) || /^https?:\/\/\S+$/i.test(String(v).trim()),
      () => t('common.validation.url'),
    ),
  integer: (min: number, max: number) =>
    rule(
      (v) => blank(v) || (Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max),
      () => t('common.validation.integerRange', { min, max }),
      'change',
    ),
  /** SPEC PROFILE-PASSWORD-3: 8–64 characters, a letter and a digit, not containing the agent ID. */
  password: (agentId: () => string | undefined) =>
    rule(
      (v) => isAcceptablePassword(String(v ?? ''), agentId()),
      () => t('common.validation.passwordRules'),
    ),
  same: (other: () => string) =>
    rule(
      (v) => v === other(),
      () => t('common.validation.passwordMismatch'),
    ),
};

export function isAcceptablePassword(password: string, agentId?: string): boolean {
  const length = [...password].length;
  if (length < 8 || length > 64) return false;
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return false;
  return !agentId || !password.toLowerCase().includes(agentId.trim().toLowerCase());
}

/** A 16-character password meeting the rules, for 自动生成 (shown once to copy). */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint32Array(length));
  const password = Array.from(bytes, (n) => alphabet[n % alphabet.length]).join('');
  return /\d/.test(password) && /[a-z]/i.test(password) ? password : generatePassword(length);
}
