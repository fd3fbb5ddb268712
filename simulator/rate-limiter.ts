// Per-key token bucket, like the ~100 requests/minute Level enforces per API key. The bucket
// holds a minute's worth of tokens, so a burst is allowed and then requests are paced.

export interface RateLimitOptions {
  requestsPerMinute: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(options.requestsPerMinute > 0)) throw new Error('requestsPerMinute must be positive');
  }

  take(key: string): RateDecision {
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const msPerToken = 60_000 / this.options.requestsPerMinute;
    const waitMs = (1 - bucket.tokens) * msPerToken;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private refill(key: string): Bucket {
    const now = this.clock();
    const capacity = this.options.requestsPerMinute;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    const earned = ((now - bucket.updatedAt) / 60_000) * capacity;
    bucket.tokens = Math.min(capacity, bucket.tokens + earned);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
