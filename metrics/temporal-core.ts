// The Temporal SDK's own metrics (workflow/activity task latencies, slots, polls, sticky cache)
// come from its Rust Core, which serves them over its own Prometheus endpoint. The Runtime is
// one per process, so is that endpoint: it is bound to a loopback port and our /metrics appends
// its text, so an operator scrapes one address per process.
import type { TelemetryOptions } from '@temporalio/worker';
import { freePort } from '../devserver/free-port';

let coreAddress: string | undefined;

/**
 * Runtime.install's telemetry options: the Core exporter on a free loopback port, with names in
 * Prometheus style (`_total`, seconds with unit suffixes).
 */
export async function coreMetricsTelemetry(): Promise<TelemetryOptions> {
  coreAddress = `127.0.0.1:${await freePort()}`;
  return {
    metrics: {
      prometheus: {
        bindAddress: coreAddress,
        countersTotalSuffix: true,
        useSecondsForDurations: true,
        unitSuffix: true,
      },
    },
  };
}

/** The Core exporter's text, or a comment saying why it is missing (a scrape never fails on it). */
export async function temporalCoreMetrics(): Promise<string> {
  if (!coreAddress) return '';
  try {
    const response = await fetch(`http://${coreAddress}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
  } catch {
    return '# Temporal SDK metrics unavailable: exporter not answering\n';
  }
}
