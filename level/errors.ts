// Typed errors for everything that can go wrong talking to Level. Callers branch on `code` and
// `retryable` rather than on messages; messages are for humans and logs. None of these ever
// carries the API key: messages are built from status codes and sanitised server text only,
// and no raw fetch error is attached as `cause` (undici errors can echo request details).

export interface LevelApiErrorOptions {
  status?: number;
  /** Sanitised extra detail, e.g. the `error` text of Level's JSON error body. */
  detail?: string;
}

export class LevelApiError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly detail: string | undefined;

  constructor(message: string, code: string, retryable: boolean, options: LevelApiErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.status = options.status;
    this.detail = options.detail;
  }
}

/** 401/403: the key is wrong, revoked, sent with a Bearer prefix, or read-only on a write. */
export class LevelAuthError extends LevelApiError {
  constructor(status: number, detail?: string) {
    super(`Level rejected the API key (HTTP ${status})`, 'auth_rejected', false, { status, detail });
  }
}

export class LevelNotFoundError extends LevelApiError {
  constructor(what: string, detail?: string) {
    super(`Level has no ${what} (HTTP 404)`, 'not_found', false, { status: 404, detail });
  }
}

/** Raised only once retries are exhausted; `retryAfterMs` is what Level last asked for. */
export class LevelRateLimitedError extends LevelApiError {
  readonly retryAfterMs: number | undefined;

  constructor(retryAfterMs: number | undefined, detail?: string) {
    const hint = retryAfterMs === undefined ? '' : `, retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    super(`Level rate limit exceeded (HTTP 429${hint})`, 'rate_limited', true, { status: 429, detail });
    this.retryAfterMs = retryAfterMs;
  }
}

export class LevelServerError extends LevelApiError {
  constructor(status: number, detail?: string) {
    super(`Level answered with a server error (HTTP ${status})`, 'server_error', true, { status, detail });
  }
}

/** Connection refused/reset, DNS failure or timeout: nothing usable came back. */
export class LevelNetworkError extends LevelApiError {
  readonly causeCode: string;

  constructor(causeText: string, causeCode: string) {
    super(`Could not reach Level: ${causeText}`, 'network_error', true);
    this.causeCode = causeCode;
  }
}

/** A body that is not JSON (e.g. a proxy's HTML page) or does not have the documented shape. */
export class LevelBadResponseError extends LevelApiError {
  constructor(message: string, status: number) {
    super(message, 'bad_response', true, { status });
  }
}

/** Any other 4xx (400, 422, ...): our request was wrong, retrying will not help. */
export class LevelClientError extends LevelApiError {
  constructor(status: number, detail?: string) {
    const suffix = detail ? `: ${detail}` : '';
    super(`Level refused the request (HTTP ${status})${suffix}`, 'client_error', false, { status, detail });
  }
}

/** The server keeps saying has_more but hands back a cursor we already used, or never ends. */
export class LevelPaginationError extends LevelApiError {
  constructor(message: string) {
    super(message, 'pagination_error', false);
  }
}

/** The base URL (or the address its host resolves to) is not allowed by LEVEL_ALLOWED_HOSTS. */
export class LevelInvalidBaseUrlError extends LevelApiError {
  constructor(reason: string) {
    super(`${reason}; nothing was sent`, 'invalid_base_url', false);
  }
}

/** Level's answer is larger than the service reads (a compromised or wrong endpoint). */
export class LevelResponseTooLargeError extends LevelApiError {
  constructor(limitBytes: number, status: number) {
    super(
      `Level's answer is larger than ${Math.round(limitBytes / 1024 / 1024)} MiB (HTTP ${status})`,
      'response_too_large',
      false,
      { status },
    );
  }
}
