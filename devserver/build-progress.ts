// Progress of the first `go install` of the Temporal CLI, which takes minutes: what it is doing
// (downloading modules, compiling packages, as `go install -v` reports them), how long it has
// run and about how long is left, so a first `npm start` is not silent.

/** A first build took about 7 minutes on a 2-core machine (README, "The Temporal CLI"). */
export const EXPECTED_BUILD_MS = 7 * 60_000;

export interface BuildProgress {
  /** One line of `go install -v`'s stderr. */
  line(text: string): void;
  /** Logs where the build is now (called on a timer). */
  report(): void;
}

export function buildProgress(
  log: (line: string) => void,
  now: () => number = Date.now,
  expectedMs = EXPECTED_BUILD_MS,
): BuildProgress {
  const started = now();
  let modules = 0;
  let packages = 0;
  return {
    line(text) {
      if (text.startsWith('go: downloading ')) modules += 1;
      // -v prints each package's import path as it is compiled: one word, no spaces.
      else if (/^[^\s:]+$/.test(text)) packages += 1;
    },
    report() {
      const elapsed = now() - started;
      const doing =
        packages > 0
          ? `compiling (${packages} packages so far, after downloading ${modules} modules)`
          : `downloading Go modules (${modules} so far)`;
      const left = expectedMs - elapsed;
      const estimate = left > 30_000 ? `about ${minutes(left)} left` : 'should finish soon';
      log(`Building the Temporal CLI (first start only): ${doing}; ${minutes(elapsed)} elapsed, ${estimate}`);
    },
  };
}

function minutes(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}
