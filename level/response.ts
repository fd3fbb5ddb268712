// Turns one HTTP exchange with Level into either a parsed JSON body or a typed error.
// Status decides first (Level's error bodies are JSON, a proxy's are HTML, both are errors);
// only a 2xx body is required to be JSON.
import {
  LevelApiError,
  LevelAuthError,
  LevelBadResponseError,
  LevelClientError,
  LevelInvalidBaseUrlError,
  LevelNetworkError,
  LevelNotFoundError,
  LevelRateLimitedError,
  LevelServerError,
} from './errors';
import { HOST_BLOCKED_CODE } from './host-policy';
import { safeDetail } from './redact';

export interface RawExchange {
  status: number;
  contentType: string;
  text: string;
  retryAfterMs: number | undefined;
}

/** What a 404 means for this request, e.g. "device with id ..." */
export type NotFoundLabel = string;

export function interpretExchange(exchange: RawExchange, apiKey: string, notFound: NotFoundLabel): unknown {
  const { status } = exchange;
  if (status >= 200 && status < 300) return parseSuccessBody(exchange);
  throw errorForStatus(exchange, apiKey, notFound);
}

function parseSuccessBody(exchange: RawExchange): unknown {
  if (exchange.text.trim() === '') return undefined;
  try {
    return JSON.parse(exchange.text) as unknown;
  } catch {
    throw nonJsonError(exchange);
  }
}

export function nonJsonError(exchange: Pick<RawExchange, 'contentType' | 'status'>): LevelBadResponseError {
  const type = exchange.contentType.split(';')[0]?.trim() || 'no content type';
  return new LevelBadResponseError(
    `Level answered with a non-JSON body (${type}, HTTP ${exchange.status})`,
    exchange.status,
  );
}

function errorForStatus(exchange: RawExchange, apiKey: string, notFound: NotFoundLabel): LevelApiError {
  const { status } = exchange;
  const detail = safeDetail(errorText(exchange.text), apiKey);
  if (status === 401 || status === 403) return new LevelAuthError(status, detail);
  if (status === 404) return new LevelNotFoundError(notFound, detail);
  if (status === 429) return new LevelRateLimitedError(exchange.retryAfterMs, detail);
  if (status >= 500) return new LevelServerError(status, detail);
  return new LevelClientError(status, detail);
}

/** Level's errors are `{"error": "..."}`; anything else (HTML) is not worth quoting. */
function errorText(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') {
      return parsed.error;
    }
  } catch {
    // Not JSON: a proxy or outage page. The status alone tells the story.
  }
  return undefined;
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
};

/**
 * Maps whatever fetch threw into a LevelNetworkError naming the cause (never the request), or
 * the host policy's refusal to connect (not retried: the address will not become allowed).
 */
export function networkError(error: unknown, timeoutMs: number): LevelNetworkError | LevelInvalidBaseUrlError {
  if (isTimeout(error)) return new LevelNetworkError(`request timed out after ${timeoutMs} ms`, 'timeout');
  const code = causeCode(error);
  if (code === HOST_BLOCKED_CODE)
    return new LevelInvalidBaseUrlError(
      'The Level host resolves to an address that is not allowed (LEVEL_ALLOWED_HOSTS)',
    );
  const text = NETWORK_CAUSES[code] ?? `request failed (${code})`;
  return new LevelNetworkError(text, code);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function causeCode(error: unknown): string {
  let current: unknown = error;
  // undici nests the system error one or two levels down in `cause`.
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return 'UNKNOWN';
}
