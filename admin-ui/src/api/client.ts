/**
 * The one HTTP client of the console. Every call is same-origin JSON with the session cookie;
 * every refusal becomes an `ApiError` carrying the server's `{error: {code, message, fields?, ...extra}}`.
 */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
  /** For `too_small` / `too_big`: the bound, what it bounds (number, string, array, …) and whether it is allowed itself. */
  limit?: number;
  origin?: string;
  inclusive?: boolean;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldProblem[];
  /** Every other member of the error body (`challengeId`, `retryAfter`, `ip`, `step`, `permission`, …). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, fields?: FieldProblem[], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.extra = extra;
  }

  get challengeId(): string | undefined {
    return typeof this.extra.challengeId === 'string' ? this.extra.challengeId : undefined;
  }

  get retryAfter(): number | undefined {
    const value = Number(this.extra.retryAfter);
    return Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
  }

  get ip(): string | undefined {
    return typeof this.extra.ip === 'string' ? this.extra.ip : undefined;
  }

  get step(): string | undefined {
    return typeof this.extra.step === 'string' ? this.extra.step : undefined;
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Set to false for calls whose 401 is an answer, not a lost session (login, its second step, `me`). */
  sessionCall?: boolean;
}

/** 401 codes that answer a step the agent is taking and do not mean the session is gone. */
const STEP_CODES = new Set(['invalid_credentials', 'reauth_failed']);

let language = 'zh-CN';
let onSessionLost: ((error: ApiError) => void) | null = null;

/** The server answers messages in the console language (SPEC: Errors). */
export function setRequestLanguage(locale: string): void {
  language = locale;
}

/** Called once by the session lifecycle; any lost-session 401 from a signed-in call goes there. */
export function setSessionLostHandler(handler: (error: ApiError) => void): void {
  onSessionLost = handler;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy page, an empty body): fall through to a code made from the status.
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error.code !== 'string') {
    return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`);
  }
  const { code, message, fields, ...extra } = error;
  return new ApiError(
    response.status,
    code,
    typeof message === 'string' ? message : code,
    Array.isArray(fields) ? (fields as FieldProblem[]) : undefined,
    extra,
  );
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Network error');
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && options.sessionCall !== false && !STEP_CODES.has(error.code) && !error.code.startsWith('otp_')) {
      onSessionLost?.(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
