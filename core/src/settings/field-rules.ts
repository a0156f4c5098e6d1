import { z } from 'zod';
import type { FieldProblem } from '../http/errors.ts';
import { isHttpUrl } from './widget-settings-schema.ts';

/**
 * Value rules of the visitor-facing form items (pre-chat and leave-message;
 * the CRM's CRM-MODEL-VALIDATE-4 rules where they overlap): a length limit,
 * and a format for contacts.
 */
const email = z.email();
const RULES: Record<string, { max: number; test?: (v: string) => boolean; code?: string }> = {
  name: { max: 50 },
  email: { max: 254, test: (v) => email.safeParse(v).success, code: 'invalid_email' },
  mobile: { max: 20, test: (v) => /^\+?[0-9]{6,15}$/.test(v.replace(/[\s-]/g, '')), code: 'invalid_phone' },
  phone: { max: 30, test: (v) => /^\+?[0-9][0-9\s()-]{4,28}$/.test(v), code: 'invalid_phone' },
  qq: { max: 12, test: (v) => /^[1-9][0-9]{4,11}$/.test(v), code: 'invalid_qq' },
  website: { max: 2048, test: (v) => isHttpUrl(v) || isHttpUrl(`http://${v}`), code: 'invalid_url' },
  gender: { max: 10, test: (v) => ['male', 'female', 'other'].includes(v), code: 'invalid_choice' },
  idNumber: { max: 30, test: (v) => /^[0-9A-Za-z-]{5,30}$/.test(v), code: 'invalid_id_number' },
  company: { max: 100 },
  title: { max: 30 },
  wechat: { max: 50 },
  orderNumber: { max: 64 },
  address: { max: 200 },
  subject: { max: 100 },
  content: { max: 2000 },
  questionType: { max: 32 },
};

/** Validates submitted form values against shown/required items; hidden items and unknown keys are dropped. */
export function checkForm(
  raw: Record<string, unknown>,
  items: Record<string, { shown: boolean; required: boolean }>,
  prefix = 'fields',
): { values: Record<string, string>; problems: FieldProblem[] } {
  const values: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  for (const [key, item] of Object.entries(items)) {
    if (!item.shown) continue;
    const path = `${prefix}.${key}`;
    const v = raw[key];
    const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number') {
      problems.push({ path, code: 'invalid_type', message: 'Expected text' });
      continue;
    }
    if (!s) {
      if (item.required) problems.push({ path, code: 'required', message: 'Required' });
      continue;
    }
    const rule = RULES[key] ?? { max: 200 };
    if (s.length > rule.max) problems.push({ path, code: 'too_big', message: `At most ${rule.max} characters` });
    else if (rule.test && !rule.test(s)) problems.push({ path, code: rule.code ?? 'invalid_format', message: 'Invalid format' });
    else values[key] = s;
  }
  return { values, problems };
}
