// Sends one logical request to Level, retrying transient failures. Every HTTP attempt first
// takes a token from the request budget (Level's ~100/min is per key and shared) and is counted.
import { LevelApiError, LevelRateLimitedError } from './errors';
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
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
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

  /** One HTTP attempt: budget, count, fetch, read the whole body under the same timeout. */
  private async exchange(request: TransportRequest): Promise<RawExchange> {
    await this.budget.acquire();
    this.count += 1;
    const query = request.query?.toString();
    const url = `${this.baseUrl}${request.path}${query ? `?${query}` : ''}`;
    try {
      const response = await this.fetchImpl(url, {
        method: request.method,
        headers: { Authorization: this.options.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
        // A redirect could carry the key to another host: treat it as a failure instead.
        redirect: 'error',
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
        retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
      };
    } catch (error) {
      throw networkError(error, this.options.timeoutMs);
    }
  }
}
