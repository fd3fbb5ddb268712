// Scripted failures for tests: "the next N responses (optionally only under a path prefix)
// are a 500 / a 401 / a 429 / a proxy's HTML page / a reset socket / a hang". Rules are
// consumed in the order they were injected.

export type FaultSpec =
  | { kind?: 'status'; status: number; times?: number; pathPrefix?: string; retryAfterSeconds?: number; body?: unknown }
  | { kind: 'html'; status?: number; times?: number; pathPrefix?: string }
  | { kind: 'reset'; times?: number; pathPrefix?: string }
  /** Never answers (until the client gives up or the simulator closes): for timeout tests. */
  | { kind: 'hang'; times?: number; pathPrefix?: string };

export type Fault = FaultSpec & { remaining: number };

export class FaultInjector {
  private readonly rules: Fault[] = [];

  inject(spec: FaultSpec): void {
    this.rules.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Faults still waiting to fire (summed over rules). */
  get pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** Consumes one firing of the first rule matching `path`, if any. */
  take(path: string): Fault | undefined {
    const index = this.rules.findIndex((rule) => rule.pathPrefix === undefined || path.startsWith(rule.pathPrefix));
    const rule = this.rules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }
}
