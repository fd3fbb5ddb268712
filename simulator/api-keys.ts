// Level's auth, faithfully: the `Authorization` header must be exactly a known key. A `Bearer `
// prefix is NOT accepted (Level answers 401), and a read-only key gets 403 on any write.

export type ApiKeySpec = string | { key: string; readOnly?: boolean };

export type AuthDecision = { ok: true; key: string } | { ok: false; status: 401 | 403; error: string };

export class ApiKeyRing {
  private keys = new Map<string, { readOnly: boolean }>();

  constructor(specs: readonly ApiKeySpec[]) {
    this.replace(specs);
  }

  replace(specs: readonly ApiKeySpec[]): void {
    this.keys = new Map(
      specs.map((spec) =>
        typeof spec === 'string' ? [spec, { readOnly: false }] : [spec.key, { readOnly: spec.readOnly ?? false }],
      ),
    );
  }

  /** First configured key, for printing and for tests that did not choose one. */
  get primary(): string {
    return this.keys.keys().next().value ?? '';
  }

  authorize(header: string | undefined, isWrite: boolean): AuthDecision {
    if (header === undefined || header === '') return { ok: false, status: 401, error: 'Missing API key' };
    const entry = this.keys.get(header);
    if (!entry) return { ok: false, status: 401, error: 'Invalid API key' };
    if (isWrite && entry.readOnly) return { ok: false, status: 403, error: 'This API key is read-only' };
    return { ok: true, key: header };
  }
}
