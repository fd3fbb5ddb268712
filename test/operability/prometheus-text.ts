// Reads Prometheus text exposition into samples keyed `name{label="value",…}` (labels sorted),
// enough for tests to compare a counter before and after a flow.
export type Samples = Map<string, number>;

export function parseSamples(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    samples.set(sampleKey(match[1]!, parseLabels(match[2] ?? '')), Number(match[3]));
  }
  return samples;
}

/** Metric family names declared with # TYPE. */
export function familyNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

export function sampleKey(name: string, labels: Record<string, string> = {}): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** The change of one sample between two scrapes (absent counts as 0). */
export function delta(before: Samples, after: Samples, name: string, labels: Record<string, string> = {}): number {
  const key = sampleKey(name, labels);
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

/** The change summed over every sample of `name` whose labels include `labels`. */
export function deltaSum(before: Samples, after: Samples, name: string, labels: Record<string, string> = {}): number {
  const matches = (key: string) =>
    (key === name || key.startsWith(`${name}{`)) &&
    Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`));
  const sum = (s: Samples) => [...s].filter(([key]) => matches(key)).reduce((total, [, value]) => total + value, 0);
  return sum(after) - sum(before);
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
  return labels;
}
