/**
 * Typed errors with a stable `code`. Routes and services throw these; the error
 * middleware (and socket acks) turn them into `{error: {code, message, fields?}}`.
 */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
  /** For `too_small` / `too_big`: the bound, what it bounds, and whether the bound itself is allowed — so clients word it in their language. */
  limit?: number;
  origin?: string;
  inclusive?: boolean;
}

export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message?: string,
    public readonly extra: Record<string, unknown> & { fields?: FieldProblem[] } = {},
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }

  toBody(message = this.message) {
    return { error: { code: this.code, message, ...this.extra } };
  }
}

export const validationFailed = (fields: FieldProblem[]) => new AppError(400, 'validation_failed', 'Invalid input', { fields });

/** One field wrong, with its own code (e.g. `password_weak`). */
export const fieldError = (path: string, code: string, message: string) => validationFailed([{ path, code, message }]);

export const unauthorized = (code = 'unauthenticated', message?: string, extra = {}) => new AppError(401, code, message, extra);

export const forbidden = (permission: string, message?: string) =>
  new AppError(403, 'forbidden', message ?? `Missing permission: ${permission}`, { permission });

export const forbiddenCode = (code: string, message?: string, extra = {}) => new AppError(403, code, message, extra);

export const notFound = (message = 'Not found') => new AppError(404, 'not_found', message);

export const conflict = (code: string, message?: string, extra = {}) => new AppError(409, code, message, extra);

export const rateLimited = (retryAfter: number) => new AppError(429, 'rate_limited', `Too many attempts; retry in ${retryAfter} s`, { retryAfter });

export const pluginDisabled = (pluginId: string) =>
  new AppError(404, 'plugin_disabled', `Plugin ${pluginId} is not enabled for this company`, {
    plugin: pluginId,
  });

export const serviceUnavailable = (code = 'unavailable', message = 'Service unavailable') => new AppError(503, code, message);
