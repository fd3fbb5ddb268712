// What the webhook receiver accepted or refused, and how long it took to make an event durable.
// Counted synchronously after the answer is decided: nothing is awaited on the accept path.
import { Counter, Histogram } from 'prom-client';
import { ApiError, DependencyUnavailableError } from '../api/errors';
import { registry } from './registry';

/**
 * Who sent it, by the header it carried: Level's automation (secret header), a native Level
 * webhook (signature), neither (unknown), or the console's "Send test alert".
 */
export type WebhookSource = 'automation' | 'native' | 'unknown' | 'test';

export function webhookSource(headers: { secret?: string | undefined; signature?: string | undefined }): WebhookSource {
  return headers.signature ? 'native' : headers.secret ? 'automation' : 'unknown';
}

const deliveries = new Counter({
  name: 'levelsync_webhook_deliveries_total',
  help: 'Webhook requests by source and outcome (accepted, ignored, or the error code answered, e.g. unauthorized, rate_limited)',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

const acceptSeconds = new Histogram({
  name: 'levelsync_webhook_accept_seconds',
  help: "The receiver's own time to make an accepted event durable, by where it went (temporal, inbox, nowhere = ignored event type)",
  labelNames: ['durable_in'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export function countAcceptedWebhook(
  source: WebhookSource,
  durableIn: 'temporal' | 'inbox' | 'nowhere',
  seconds: number,
): void {
  deliveries.inc({ source, outcome: durableIn === 'nowhere' ? 'ignored' : 'accepted' });
  acceptSeconds.observe({ durable_in: durableIn }, seconds);
}

/** A refused request, by the contract's error code (a small fixed set, never from input). */
export function countRefusedWebhook(source: WebhookSource, error: unknown): void {
  const outcome =
    error instanceof ApiError ? error.code : error instanceof DependencyUnavailableError ? 'unavailable' : 'error';
  deliveries.inc({ source, outcome });
}
