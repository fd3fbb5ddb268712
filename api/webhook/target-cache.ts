// Which integration a webhook id names, remembered briefly by this process (found or not), so
// that a request with a wrong secret or an unknown id is answered without the database: a flood
// of them cannot take the connections real deliveries need. Concurrent misses for one id share
// one query, and at most MAX_CONCURRENT_LOOKUPS queries run at once (a flood of random ids waits
// for them instead of filling the pool). The card's routes forget an entry when they change its
// secrets; another API process sees such a change within TARGET_TTL_MS.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findWebhookTarget, type WebhookTarget } from '../../db/integration-store';
import { RateLimitedError } from './failure-limiter';

export const TARGET_TTL_MS = 5_000;
const MAX_CACHED_TARGETS = 10_000;
const MAX_CONCURRENT_LOOKUPS = 2;
/** Lookups that may wait for a free slot; beyond them a request is answered 429. */
const MAX_WAITING_LOOKUPS = 200;

interface Entry {
  target: WebhookTarget | null;
  at: number;
}

export class WebhookTargetCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<WebhookTarget | null>>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The remembered answer for this id: a target, null (no such webhook), or undefined (not known). */
  cached(webhookId: string): WebhookTarget | null | undefined {
    const entry = this.entries.get(webhookId);
    if (!entry || this.now() - entry.at > TARGET_TTL_MS) return undefined;
    return entry.target;
  }

  async get(em: EntityManager, webhookId: string): Promise<WebhookTarget | null> {
    const known = this.cached(webhookId);
    if (known !== undefined) return known;
    let load = this.loading.get(webhookId);
    if (!load) {
      load = this.lookup(em, webhookId).finally(() => this.loading.delete(webhookId));
      this.loading.set(webhookId, load);
    }
    return load;
  }

  forget(webhookId: string): void {
    this.entries.delete(webhookId);
  }

  private async lookup(em: EntityManager, webhookId: string): Promise<WebhookTarget | null> {
    await this.slot();
    try {
      const target = await findWebhookTarget(em, webhookId);
      this.entries.delete(webhookId);
      this.entries.set(webhookId, { target, at: this.now() });
      if (this.entries.size > MAX_CACHED_TARGETS) this.entries.delete(this.entries.keys().next().value!);
      return target;
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else this.running -= 1;
    }
  }

  private async slot(): Promise<void> {
    if (this.running < MAX_CONCURRENT_LOOKUPS) {
      this.running += 1;
      return;
    }
    if (this.waiting.length >= MAX_WAITING_LOOKUPS) throw new RateLimitedError(1);
    // Handed over by a finishing lookup: `running` stays counted for this one.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** The one cache of this process (the receiver reads it, the card's routes invalidate it). */
export const webhookTargets = new WebhookTargetCache();
