// Renders a /metrics answer: the process registry, any registries only this endpoint adds (the
// API's inbox gauges), then the Temporal SDK's own metrics. METRICS_TOKEN, when set, is required
// as a Bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { registry } from './registry';
import { temporalCoreMetrics } from './temporal-core';

export const METRICS_CONTENT_TYPE = registry.contentType;

export async function renderMetrics(extra: readonly Registry[] = []): Promise<string> {
  const parts = await Promise.all([registry, ...extra].map((r) => r.metrics()));
  parts.push(await temporalCoreMetrics());
  return parts.join('\n');
}

/** True when no token is configured or the header carries it (compared in constant time). */
export function scrapeAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

const digest = (value: string) => createHash('sha256').update(value).digest();
