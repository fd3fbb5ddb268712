// Token buckets of failed webhook attempts (wrong secret or signature, unknown webhook id), per
// key: a webhook id or a client address. Each key may fail `burst` times at once, then `perSecond`
// times a second; past that the receiver answers 429 instead of looking further. An attempt holds
// a token until it proves right and gives it back then, so only failures spend tokens and a
// sender with the right secret never runs its own bucket dry. Bounded: beyond `maxKeys` keys the
// least recently used is dropped (a dropped key starts full again).
import { ApiError } from '../errors';
interface Bucket {
  tokens: number;
  at: number;
}

export interface FailureLimiterOptions {
  burst: number;
  perSecond: number;
  maxKeys?: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: FailureLimiterOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Takes a token for an attempt not yet proven right: 0 when taken, else the whole seconds until
   * one is back (nothing taken). Taken up front, so concurrent attempts cannot all slip through
   * before the first failure is counted; `giveBack` once the attempt proves right.
   */
  take(key: string): number {
    const bucket = this.refilled(key) ?? { tokens: this.options.burst, at: this.now() };
    if (bucket.tokens < 1) return this.secondsUntilToken(bucket);
    bucket.tokens -= 1;
    this.buckets.delete(key); // re-inserted as the most recently used
    this.buckets.set(key, bucket);
    if (this.buckets.size > (this.options.maxKeys ?? 10_000)) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }

  /** What `take` would answer, without taking: 0 when a token is there, else the whole seconds until one is back. */
  wait(key: string): number {
    const bucket = this.refilled(key);
    return !bucket || bucket.tokens >= 1 ? 0 : this.secondsUntilToken(bucket);
  }

  /** Returns a token taken for an attempt that proved right. */
  giveBack(key: string): void {
    const bucket = this.refilled(key);
    if (bucket) bucket.tokens = Math.min(this.options.burst, bucket.tokens + 1);
  }

  private secondsUntilToken(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
  }

  private refilled(key: string): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const now = this.now();
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    return bucket;
  }
}

/** 429 in the contract's shape; the receiver's route sets `Retry-After` from it. */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many failed webhook requests: retry after ${retryAfterSeconds} s`);
  }
}
