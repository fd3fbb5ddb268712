// What the simulator was asked, so tests can assert on traffic: how many requests in total and
// per path, how many were rate limited, and which alerts were resolved through the API.

export class SimulatorStats {
  total = 0;
  rateLimited = 0;
  readonly byPath = new Map<string, number>();
  /** Alert ids passed to POST /v2/alerts/{id}/resolve that succeeded, in call order. */
  readonly resolvedAlertIds: string[] = [];

  record(path: string): void {
    this.total += 1;
    this.byPath.set(path, (this.byPath.get(path) ?? 0) + 1);
  }

  /** Requests whose path (as sent, percent-encoding kept) is `path` exactly. */
  countFor(path: string): number {
    return this.byPath.get(path) ?? 0;
  }

  /** Requests whose path (as sent) starts with `prefix`, e.g. `/v2/devices`. */
  countUnder(prefix: string): number {
    let sum = 0;
    for (const [path, count] of this.byPath) if (path.startsWith(prefix)) sum += count;
    return sum;
  }

  reset(): void {
    this.total = 0;
    this.rateLimited = 0;
    this.byPath.clear();
    this.resolvedAlertIds.length = 0;
  }
}
