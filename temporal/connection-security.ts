// How this process proves itself to Temporal and checks the server: TLS (a private CA, a server
// name, a client certificate for mTLS) and an API key (Temporal Cloud). The private key and the
// API key are secrets: they live in private fields, so neither JSON.stringify nor util.inspect
// of the config (or of anything holding it) can print them.
import { inspect } from 'node:util';
import type { TLSConfig } from '@temporalio/client';
import { redactKey } from '../level/redact';

export interface TemporalSecurityParts {
  /** PEM of the CA that signed the server's certificate; absent: the system's trusted CAs. */
  serverRootCa?: Buffer;
  /** Name the server's certificate must carry, when it differs from TEMPORAL_ADDRESS's host. */
  serverName?: string;
  /** PEM certificate and private key for mTLS. */
  clientCert?: { crt: Buffer; key: Buffer };
  apiKey?: string;
}

/** What the options say, without any secret: for start-up logs and config dumps. */
export interface TemporalSecuritySummary {
  tls: boolean;
  customCa: boolean;
  serverName: string | null;
  clientCertificate: boolean;
  apiKeyConfigured: boolean;
}

/** The options both `NativeConnection.connect` and `Connection.connect` take. */
export interface TemporalConnectionOptions {
  tls?: TLSConfig;
  apiKey?: string;
}

export class TemporalSecurity {
  static readonly none = new TemporalSecurity({});

  readonly #parts: TemporalSecurityParts;

  constructor(parts: TemporalSecurityParts) {
    this.#parts = parts;
  }

  /** TLS is on when any TLS setting is given, and always with an API key (it must not travel in clear). */
  get tlsEnabled(): boolean {
    const p = this.#parts;
    return Boolean(p.serverRootCa ?? p.serverName ?? p.clientCert ?? p.apiKey);
  }

  connectionOptions(): TemporalConnectionOptions {
    if (!this.tlsEnabled) return {};
    const p = this.#parts;
    const tls: TLSConfig = {
      ...(p.serverRootCa ? { serverRootCACertificate: p.serverRootCa } : {}),
      ...(p.serverName ? { serverNameOverride: p.serverName } : {}),
      ...(p.clientCert ? { clientCertPair: { crt: p.clientCert.crt, key: p.clientCert.key } } : {}),
    };
    return { tls, ...(p.apiKey ? { apiKey: p.apiKey } : {}) };
  }

  /** Text from elsewhere (a server's error message) with the API key taken out. */
  redact(text: string): string {
    return this.#parts.apiKey ? redactKey(text, this.#parts.apiKey) : text;
  }

  summary(): TemporalSecuritySummary {
    const p = this.#parts;
    return {
      tls: this.tlsEnabled,
      customCa: p.serverRootCa !== undefined,
      serverName: p.serverName ?? null,
      clientCertificate: p.clientCert !== undefined,
      apiKeyConfigured: p.apiKey !== undefined,
    };
  }

  toJSON(): TemporalSecuritySummary {
    return this.summary();
  }

  [inspect.custom](): string {
    return `TemporalSecurity ${JSON.stringify(this.summary())}`;
  }
}
