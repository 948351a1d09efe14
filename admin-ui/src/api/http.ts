/**
 * The one place that talks HTTP to the API: adds the bearer token, turns problem+json answers
 * into ApiError, and tells the session when the server says the token is no longer good.
 */

/** A failed API call. `code` is the API's stable code (or one of ours for transport failures). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extras: {
      title?: string;
      requestId?: string;
      retryAfterSeconds?: number;
      /** `password_policy`: why the password was refused, one entry per rule. */
      reasons?: { code: string; message: string }[];
      /** A 401 for our own token whose session was ended: why (`mfa_reset`, `password_changed`, ...). */
      reason?: string;
    } = {},
  ) {
    super(detail || code);
  }
}

/** Codes we make up ourselves, for failures that never produced a problem+json answer. */
export const NETWORK_ERROR = 'network_error';
export const UNEXPECTED_RESPONSE = 'unexpected_response';

export interface SessionHooks {
  token(): string | null;
  /** A request carrying our token got 401: the session is gone (the error may say why). */
  onUnauthorized(error: ApiError): void;
  /** A read got 403 `forbidden` or `mfa_required`: this session may not use the console. */
  onAccessDenied(code: string): void;
}

let hooks: SessionHooks = { token: () => null, onUnauthorized() {}, onAccessDenied() {} };

/** The session store plugs itself in here, so this module never imports the store. */
export function connectSession(sessionHooks: SessionHooks): void {
  hooks = sessionHooks;
}

export type QueryParams = Record<string, string | number | null | undefined>;

/** `path?key=value...`, leaving out empty values so a blank filter means "no filter". */
export function buildUrl(path: string, query: QueryParams = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: QueryParams;
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `X-Reauth-Token` for step-up calls). */
  headers?: Record<string, string>;
  /** Sign-in calls go without a token: a stale one must not be sent, nor cleared by their 401. */
  anonymous?: boolean;
}

/** Sends the request and returns the response when it is 2xx; throws ApiError otherwise. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, Accept: options.accept ?? 'application/json' };
  const token = options.anonymous ? null : hooks.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (isAbort(cause)) throw cause;
    throw new ApiError(0, NETWORK_ERROR, 'The service could not be reached. Check your connection.');
  }
  if (response.ok) return response;

  const error = await toApiError(response);
  if (error.status === 401 && token) hooks.onUnauthorized(error);
  if (error.status === 403 && method === 'GET' && isAccessDenial(error.code)) hooks.onAccessDenied(error.code);
  throw error;
}

export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, UNEXPECTED_RESPONSE, 'The service sent an answer the console cannot read.');
  }
}

export async function requestNothing(path: string, options: RequestOptions = {}): Promise<void> {
  await send(path, options);
}

export function isAccessDenial(code: string): boolean {
  return code === 'forbidden' || code === 'mfa_required';
}

/** Reads a problem+json body when there is one; anything else still becomes an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the status and a generic code.
  }
  const code = typeof body.code === 'string' ? body.code : `http_${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : '';
  return new ApiError(response.status, code, detail, {
    title: typeof body.title === 'string' ? body.title : undefined,
    requestId:
      typeof body.requestId === 'string' ? body.requestId : (response.headers.get('X-Request-Id') ?? undefined),
    retryAfterSeconds,
    reasons: parseReasons(body.reasons),
    reason: typeof body.reason === 'string' ? body.reason : undefined,
  });
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function parseReasons(value: unknown): { code: string; message: string }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((item): item is { code: unknown; message: unknown } => typeof item === 'object' && item !== null)
    .map((item) => ({ code: String(item.code ?? ''), message: String(item.message ?? item.code ?? '') }));
}
