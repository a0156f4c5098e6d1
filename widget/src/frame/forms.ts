/**
 * The pre-chat and leave-message forms (PRECHAT-RENDER-7, LEAVESET-RENDER-8):
 * items from the company's settings, * on required ones, inline checks with the
 * server's rules, server errors beside their fields, typed values kept. Items a
 * plugin adds or renames (PRECHAT-CRMFIELDS-6) carry their own label and kind.
 */
import { RealtimeError } from '@kefu/core/protocol/client';
import { inLang, type FieldDef } from './config.ts';
import { fieldLabel, t, type Key } from './i18n.ts';

const CONTACTS = ['mobile', 'phone', 'email', 'qq'];
const RULES: Record<string, { max: number; test?: RegExp; code?: Key }> = {
  email: { max: 254, test: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, code: 'invalid_email' },
  mobile: { max: 20, test: /^\+?[0-9][0-9\s-]{5,19}$/, code: 'invalid_phone' },
  phone: { max: 30, test: /^\+?[0-9][0-9\s()-]{4,28}$/, code: 'invalid_phone' },
  content: { max: 2000 },
};

export interface FormSpec {
  id: string;
  fields: FieldDef[];
  /** Select items (the question type), as value → label in the visitor's language. */
  choices?: Record<string, { value: string; label: string }[]>;
  values?: Record<string, string>;
  requireContact?: boolean;
  submitLabel: string;
  onSubmit(values: Record<string, string>): Promise<void>;
}

/** Draws the form into `host` (replacing what was there); returns it for tests and focus. */
export function drawForm(host: HTMLElement, spec: FormSpec): HTMLFormElement {
  const form = document.createElement('form');
  form.className = 'form';
  form.id = spec.id;
  form.noValidate = true;
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  for (const f of spec.fields) {
    const row = document.createElement('label');
    row.className = 'field';
    const label = document.createElement('span');
    label.textContent = (inLang(f.label) ?? fieldLabel(f.key)) + (f.required ? ' *' : '');
    const choices = spec.choices?.[f.key] ?? f.options?.map((o) => ({ value: o, label: o }));
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (choices) {
      input = document.createElement('select');
      input.append(new Option(t('choose'), ''), ...choices.map((c) => new Option(c.label, c.value)));
    } else if (f.key === 'content' || f.type === 'longtext') {
      input = document.createElement('textarea');
      input.rows = 4;
    } else {
      input = document.createElement('input');
      input.type =
        f.type === 'number' || f.type === 'date' ? f.type : f.key === 'email' ? 'email' : f.key === 'mobile' || f.key === 'phone' ? 'tel' : 'text';
    }
    input.name = f.key;
    input.required = f.required;
    input.value = spec.values?.[f.key] ?? '';
    const err = document.createElement('small');
    err.className = 'error';
    err.id = `${spec.id}-${f.key}-error`;
    input.setAttribute('aria-describedby', err.id);
    row.append(label, input, err);
    form.append(row);
    inputs.set(f.key, input);
    errors.set(f.key, err);
    // Errors appear on submit and go as soon as the value is fixed: checking on blur would move the
    // submit button under a pointer that is pressing it.
    input.addEventListener('input', () => input.getAttribute('aria-invalid') === 'true' && show(f.key, check(f)));
  }
  const general = document.createElement('p');
  general.className = 'error';
  general.setAttribute('role', 'alert');
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = t('requiredNote');
  const submit = document.createElement('button');
  submit.className = 'primary';
  submit.type = 'submit';
  submit.textContent = spec.submitLabel;
  form.append(general, note, submit);
  host.replaceChildren(form);

  const value = (k: string) => inputs.get(k)?.value.trim() ?? '';
  function check(f: FieldDef): string {
    const v = value(f.key);
    if (!v) return f.required ? t('required') : '';
    const rule = RULES[f.key] ?? (f.type ? { max: f.type === 'longtext' ? 2000 : 200 } : undefined);
    if (rule && v.length > rule.max) return t('too_long');
    if (rule?.test && !rule.test.test(v)) return t(rule.code!);
    return '';
  }
  function show(key: string, message: string) {
    const input = inputs.get(key);
    const err = errors.get(key);
    if (!input || !err) return;
    err.textContent = message;
    input.setAttribute('aria-invalid', String(!!message));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return; // a double click submits once
    general.textContent = '';
    let first: string | null = null;
    for (const f of spec.fields) {
      const m = check(f);
      show(f.key, m);
      if (m && !first) first = f.key;
    }
    const contacts = spec.fields.filter((f) => CONTACTS.includes(f.key));
    if (!first && spec.requireContact && contacts.length && !contacts.some((f) => value(f.key))) {
      general.textContent = t('contact');
      first = contacts[0].key;
    }
    if (first) return inputs.get(first)?.focus();
    const values = Object.fromEntries([...inputs.keys()].map((k) => [k, value(k)]).filter(([, v]) => v));
    submit.disabled = true;
    try {
      await spec.onSubmit(values);
    } catch (err) {
      const fields = err instanceof RealtimeError ? err.details.fields : undefined;
      for (const f of fields ?? []) {
        const key = f.path.replace(/^fields\./, '');
        if (inputs.has(key)) show(key, localized(f.code, f.message));
        else general.textContent = f.message;
      }
      if (!fields?.length) general.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Server codes the catalogue knows are shown in the visitor's language; others as the server said them. */
function localized(code: string, message: string): string {
  const known: Record<string, Key> = { required: 'required', invalid_email: 'invalid_email', invalid_phone: 'invalid_phone', too_big: 'too_long' };
  return known[code] ? t(known[code]) : message;
}
