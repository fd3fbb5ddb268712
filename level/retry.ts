// Retry timing: exponential backoff with jitter for transient failures, and Level's own
// Retry-After for 429s (honoured, but bounded so a bogus header cannot park a worker for hours).

/** Upper bound of one exponential backoff step, whatever the attempt number. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * Delay before retry number `attempt` (0-based): base * 2^attempt, capped, with "equal jitter"
 * (half fixed, half random) so many workers retrying together spread out but never retry at 0.
 */
export function backoffDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds.
 * Returns undefined when absent or unparsable, so the caller falls back to backoff.
 */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
