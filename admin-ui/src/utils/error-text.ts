import { i18n } from '@/i18n';
import { isApiError, type FieldProblem } from '@/api/client';

const has = (key: string) => i18n.global.te(key, 'en');

/** What to tell the agent about a failed call, in the console language. */
export function errorText(error: unknown): string {
  const { t } = i18n.global;
  if (!isApiError(error)) return t('errors.generic');
  const key = `errors.codes.${error.code}`;
  if (has(key)) return t(key, { seconds: error.retryAfter ?? 60, ip: error.ip ?? '' });
  return error.message && error.message !== error.code ? error.message : t('errors.generic');
}

/** The text for one field problem of a `validation_failed` answer. */
export function fieldText(problem: FieldProblem): string {
  const bounded = boundText(problem);
  if (bounded) return bounded;
  const key = `errors.fields.${problem.code}`;
  return has(key) ? i18n.global.t(key) : problem.message || problem.code;
}

/** A server code (login-log reason, method, …) in words, or the code itself when it is new to us. */
export function codeText(prefix: string, code: string | null | undefined): string {
  if (!code) return i18n.global.t('common.states.none');
  // Codes such as `password+otp` become catalogue keys such as `password_otp`.
  const key = `${prefix}.${code.replace(/[^A-Za-z0-9_]/g, '_')}`;
  return has(key) ? i18n.global.t(key) : code;
}

const BOUNDED: Record<string, string> = { number: 'number', int: 'number', string: 'text', array: 'items', set: 'items' };

/** A size or range refusal worded with its bound (e.g. 不能小于 15), when the server sent one. */
function boundText(problem: FieldProblem): string | null {
  const kind = problem.origin ? BOUNDED[problem.origin] : undefined;
  if (problem.limit === undefined || !kind || (problem.code !== 'too_small' && problem.code !== 'too_big')) return null;
  const side = problem.code === 'too_small' ? (problem.inclusive === false ? 'above' : 'min') : problem.inclusive === false ? 'below' : 'max';
  const key = `errors.bounds.${kind}.${side}`;
  return has(key) ? i18n.global.t(key, { limit: problem.limit }) : null;
}
