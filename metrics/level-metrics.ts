// Requests to the Level API (each HTTP attempt, retries included) and the time spent waiting
// for the shared request budget before one could go.
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry';

const requests = new Counter({
  name: 'levelsync_level_requests_total',
  help: 'HTTP requests sent to Level, by operation (method and path template) and status (HTTP code, or network_error)',
  labelNames: ['operation', 'status'] as const,
  registers: [registry],
});

const budgetWait = new Histogram({
  name: 'levelsync_level_budget_wait_seconds',
  help: 'Time a Level request waited for the per-integration request budget (LEVEL_REQUESTS_PER_MINUTE)',
  buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60],
  registers: [registry],
});

export function countLevelRequest(method: string, path: string, status: number | 'network_error'): void {
  requests.inc({ operation: levelOperation(method, path), status: String(status) });
}

export function observeBudgetWait(seconds: number): void {
  budgetWait.observe(seconds);
}

/**
 * `GET /v2/devices/:id` for `/v2/devices/abc%2F1`: Level's paths alternate resource and id after
 * the version, so every second segment from the third on is an id. Keeps the label bounded (no
 * ids, no query string).
 */
export function levelOperation(method: string, path: string): string {
  const segments = path
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '');
  return `${method} /${segments.map((s, i) => (i >= 2 && i % 2 === 0 ? ':id' : s)).join('/')}`;
}
