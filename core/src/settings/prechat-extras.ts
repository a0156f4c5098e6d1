import { z } from 'zod';
import type { Logger } from '../infra/logger.ts';
import { conflict, type FieldProblem } from '../http/errors.ts';
import type { HookRegistry } from '../hooks/hook-registry.ts';
import type { PrechatExtraField, WidgetConfigValue } from '../hooks/hook-types.ts';
import { PRECHAT_FIELDS } from './widget-settings-schema.ts';

/** At most this many items plugins add to the pre-chat form (PRECHAT-CRMFIELDS-6). */
export const PRECHAT_EXTRA_LIMIT = 5;

/** For a plugin's own settings: marking one item more than the form takes. */
export const prechatFieldLimit = () => conflict('prechat_field_limit', `At most ${PRECHAT_EXTRA_LIMIT} extra items in the pre-chat form`);

const label = z.record(z.string().min(2).max(10), z.string().trim().min(1).max(20));
const extraField = z.object({
  key: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/)
    .refine((k) => !(PRECHAT_FIELDS as readonly string[]).includes(k), 'A standard item'),
  label: label.refine((l) => Object.keys(l).length > 0, 'A label'),
  type: z.enum(['text', 'longtext', 'number', 'date', 'choice']),
  required: z.boolean(),
  options: z.array(z.string().trim().min(1).max(30)).min(1).max(50).optional(),
});

/** What the form gets from plugins for one company; empty while no enabled plugin filters `widget.config`. */
export interface PrechatExtras {
  fields: PrechatExtraField[];
  labels: Record<string, Record<string, string>>;
}

/**
 * Runs `widget.config` for the company: each added item is checked on its own (a bad one is left out and
 * logged), a choice needs options, keys are unique, and only the first 5 are kept; labels rename only
 * standard items.
 */
export async function prechatExtras(hooks: HookRegistry, log: Logger, companyId: number): Promise<PrechatExtras> {
  if (!hooks.hasFilters('widget.config')) return { fields: [], labels: {} };
  const start: WidgetConfigValue = { prechatExtraFields: [], prechatLabels: {} };
  const out = await hooks.runFilter('widget.config', start, { companyId, actor: { kind: 'system' } });
  const value = out.halted ? start : out.value;
  const fields: PrechatExtraField[] = [];
  for (const raw of value.prechatExtraFields ?? []) {
    const parsed = extraField.safeParse(raw);
    const ok = parsed.success && (parsed.data.type === 'choice') === !!parsed.data.options && !fields.some((f) => f.key === parsed.data.key);
    if (!ok) log.warn({ companyId, field: raw }, 'widget.config: a pre-chat item left out');
    else if (fields.length >= PRECHAT_EXTRA_LIMIT)
      log.warn({ companyId, key: parsed.data.key, code: 'prechat_field_limit' }, 'widget.config: more than 5 items');
    else fields.push(parsed.data);
  }
  const labels = Object.fromEntries(
    Object.entries(value.prechatLabels ?? {}).filter(([k, l]) => (PRECHAT_FIELDS as readonly string[]).includes(k) && label.safeParse(l).success),
  );
  return { fields, labels };
}

const RULES: Record<PrechatExtraField['type'], (v: string, f: PrechatExtraField) => string | null> = {
  text: (v) => (v.length > 200 ? 'too_big' : null),
  longtext: (v) => (v.length > 2000 ? 'too_big' : null),
  number: (v) => (/^-?\d{1,15}(\.\d{1,6})?$/.test(v) ? null : 'invalid_number'),
  date: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : 'invalid_date'),
  choice: (v, f) => (f.options!.includes(v) ? null : 'invalid_choice'),
};

/** The submitted values of the added items, checked like the standard ones (`fields.<key>` problems). */
export function checkExtras(raw: Record<string, unknown>, fields: PrechatExtraField[]): { values: Record<string, string>; problems: FieldProblem[] } {
  const values: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  for (const f of fields) {
    const v = raw[f.key];
    const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
    const path = `fields.${f.key}`;
    const code = !s ? (f.required ? 'required' : null) : RULES[f.type](s, f);
    if (code) problems.push({ path, code, message: code === 'required' ? 'Required' : 'Invalid value' });
    else if (s) values[f.key] = s;
  }
  return { values, problems };
}
