import { z, type ZodType } from 'zod';
import { type FieldProblem, validationFailed } from './errors.ts';

const codeOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'unrecognized_keys') return 'unknown_field';
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return issue.code;
};

export function zodFields(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => ({ path: [base, k].filter(Boolean).join('.'), code: 'unknown_field', message: `Unknown field ${k}` }));
    return [{ path: base || '(body)', code: codeOf(issue), message: issue.message }];
  });
}

/** Parses `data` with `schema` or throws `400 validation_failed` with one entry per field. */
export function parseOr400<T>(schema: ZodType<T>, data: unknown, prefix = ''): T {
  const r = schema.safeParse(data);
  if (!r.success) throw validationFailed(zodFields(r.error, prefix));
  return r.data;
}
