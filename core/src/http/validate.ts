import { z, type ZodType } from 'zod';
import { type FieldProblem, validationFailed } from './errors.ts';

const codeOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'unrecognized_keys') return 'unknown_field';
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return issue.code;
};

/** A numeric bound of a size or range issue (dates and bigints keep only the message). */
function bound(issue: z.core.$ZodIssue): Pick<FieldProblem, 'limit' | 'origin' | 'inclusive'> {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return {};
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  return typeof limit === 'number' && Number.isFinite(limit) ? { limit, origin: issue.origin, inclusive: issue.inclusive ?? true } : {};
}

export function zodFields(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => ({ path: [base, k].filter(Boolean).join('.'), code: 'unknown_field', message: `Unknown field ${k}` }));
    return [{ path: base || '(body)', code: codeOf(issue), message: issue.message, ...bound(issue) }];
  });
}

/** PostgreSQL text cannot hold U+0000, so such a string is bad input here rather than a database error (a 500) later. */
function nulFields(value: unknown, path: string[]): FieldProblem[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ path: path.join('.') || '(body)', code: 'invalid_character', message: 'Contains a NUL character' }] : [];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nulFields(v, [...path, k]));
  return [];
}

/** Parses `data` with `schema` or throws `400 validation_failed` with one entry per field. */
export function parseOr400<T>(schema: ZodType<T>, data: unknown, prefix = ''): T {
  const nul = nulFields(data, prefix ? [prefix] : []);
  if (nul.length) throw validationFailed(nul);
  const r = schema.safeParse(data);
  if (!r.success) throw validationFailed(zodFields(r.error, prefix));
  return r.data;
}
