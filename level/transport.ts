// Sends one logical request to Level, retrying transient failures. Every HTTP attempt first
// takes a token from the request budget (Level's ~100/min is per key and shared) and is counted.
import { countLevelRequest, observeBudgetWait } from '../metrics/level-metrics';
import { levelRequestSpan } from '../tracing/level-spans';
import { LevelApiError, LevelInvalidBaseUrlError, LevelRateLimitedError, LevelResponseTooLargeError } from './errors';
import { guardedFetch } from './guarded-fetch';
import type { LevelHostPolicy } from './host-policy';
import { RequestBudget, unlimitedBudget } from './request-budget';
import { interpretExchange, networkError, NotFoundLabel, RawExchange } from './response';
import { backoffDelayMs, parseRetryAfterMs, sleep } from './retry';

export type FetchImpl = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryAfterMs: number;
  budget?: RequestBudget;
  /** Where requests may go (LEVEL_ALLOWED_HOSTS); absent: anywhere (tools and tests only). */
  hostPolicy?: LevelHostPolicy;
  /** Larger answers fail with `response_too_large` instead of being read. */
  maxResponseBytes: number;
  fetchImpl?: FetchImpl;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  /** Path under the base URL, already URL-encoded, e.g. `/v2/devices/abc%2Fd`. */
  path: string;
  query?: URLSearchParams;
  notFound: NotFoundLabel;
}

export class LevelTransport {
  private readonly baseUrl: string;
  private readonly budget: RequestBudget;
  private readonly fetchImpl: FetchImpl;
  private count = 0;

  constructor(private readonly options: TransportOptions) {
    // Trailing slashes would double up with our leading one and Level 404s on `//v2`.
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.budget = options.budget ?? unlimitedBudget;
    this.fetchImpl =
      options.fetchImpl ??
      (options.hostPolicy ? guardedFetch(options.hostPolicy) : (input, init) => fetch(input, init));
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.count;
  }

  /**
   * Returns `parse(body)` (body = parsed JSON, undefined when empty) or throws a LevelApiError.
   * `parse` runs inside the retry loop: a malformed body is retried like a 5xx, since it usually
   * comes from a proxy or a deploy in progress.
   */
  async send<T>(request: TransportRequest, parse: (body: unknown, status: number) => T): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const exchange = await this.exchange(request);
        return parse(interpretExchange(exchange, this.options.apiKey, request.notFound), exchange.status);
      } catch (error) {
        if (!(error instanceof LevelApiError) || !error.retryable || attempt >= this.options.maxRetries) throw error;
        await sleep(this.retryDelay(error, attempt));
      }
    }
  }

  private retryDelay(error: LevelApiError, attempt: number): number {
    if (error instanceof LevelRateLimitedError && error.retryAfterMs !== undefined) {
      return Math.min(error.retryAfterMs, this.options.maxRetryAfterMs);
    }
    return backoffDelayMs(attempt, this.options.retryBaseDelayMs);
  }

  /** One HTTP attempt, as a client span when tracing is on (the operation template, never the URL or key). */
  private exchange(request: TransportRequest): Promise<RawExchange> {
    return levelRequestSpan(request.method, request.path, () => this.attempt(request));
  }

  /** One HTTP attempt: policy, budget, count, fetch, read the whole body under the same timeout. */
  private async attempt(request: TransportRequest): Promise<RawExchange> {
    // A stored URL that the allowlist no longer covers is never contacted, not even once.
    const refused = this.options.hostPolicy?.problemWith(this.baseUrl);
    if (refused) throw new LevelInvalidBaseUrlError(refused);
    const waitStarted = performance.now();
    await this.budget.acquire();
    observeBudgetWait((performance.now() - waitStarted) / 1000);
    this.count += 1;
    const query = request.query?.toString();
    const url = `${this.baseUrl}${request.path}${query ? `?${query}` : ''}`;
    let answered = false;
    try {
      const response = await this.fetchImpl(url, {
        method: request.method,
        headers: { Authorization: this.options.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
        // A redirect could carry the key to another host: treat it as a failure instead.
        redirect: 'error',
      });
      answered = true;
      countLevelRequest(request.method, request.path, response.status);
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await readCapped(response, this.options.maxResponseBytes),
        retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
      };
    } catch (error) {
      if (error instanceof LevelApiError) throw error;
      if (!answered) countLevelRequest(request.method, request.path, 'network_error');
      throw networkError(error, this.options.timeoutMs);
    }
  }
}

/** The body as text, refusing (and no longer reading) one larger than `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel();
    if (declared > maxBytes) throw new LevelResponseTooLargeError(maxBytes, response.status);
    return '';
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop by throwing cancels the stream: the rest is never read.
    if (size > maxBytes) throw new LevelResponseTooLargeError(maxBytes, response.status);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
