// Typed configuration, validated once at start-up from the environment. Every entry point calls
// loadConfig() and passes the result down; nothing else reads process.env.
import { z } from 'zod';
import { LevelHostPolicy } from '../level/host-policy';
import { parseMasterKey } from '../security/secret-box';
import type { TemporalSecurity } from '../temporal/connection-security';
import { readTemporalSecurity } from '../temporal/security-settings';

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** Unset when empty. The message never quotes the value: it is a secret. */
const optionalApiKey = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]*$/, 'must be one line of printable ASCII without spaces')
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalUrl,
  TEMPORAL_ADDRESS: optionalUrl,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('level-integration'),
  MASTER_KEY: z.string().optional(),
  MASTER_KEY_PREVIOUS: z.string().optional(),
  PUBLIC_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: optionalUrl.pipe(z.enum(['json', 'pretty']).optional()),
  LEVEL_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(100),
  RUN_WAIT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(500),
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  LEVEL_ALLOWED_HOSTS: z.string().optional(),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8233'),
  TEMPORAL_TLS_CERT: optionalUrl,
  TEMPORAL_TLS_KEY: optionalUrl,
  TEMPORAL_TLS_CA: optionalUrl,
  TEMPORAL_TLS_SERVER_NAME: optionalUrl.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name')
      .optional(),
  ),
  TEMPORAL_API_KEY: optionalApiKey,
  METRICS_PORT: optionalUrl.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  METRICS_TOKEN: optionalApiKey.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl.pipe(z.url({ protocol: /^https?$/ }).optional()),
});

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  temporalAddress: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** 32-byte key for AES-256-GCM; absent only before the embedded launcher generated one. */
  masterKey: Buffer | undefined;
  /** The key being rotated away from: still opens the secrets sealed under it (see master-key:rotate). */
  masterKeyPrevious: Buffer | undefined;
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** LOG_FORMAT: json or pretty; undefined: pretty on a terminal, JSON otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
  levelRequestsPerMinute: number;
  runWaitTimeoutMs: number;
  /**
   * Runs a worker keeps in memory between their tasks. The SDK would derive it from the heap
   * limit (32 under the worker's 256 MB); open alert runs are small and many, and a run evicted
   * from the cache is replayed from its history on its next event.
   */
  workerMaxCachedWorkflows: number;
  /**
   * CPU niceness `npm run start:worker` gives itself (0 = unchanged). Workers do batch work; on a
   * host they share with the API, the webhook receiver (Level waits for its 202) goes first.
   */
  workerNiceness: number;
  /**
   * Take the client address from X-Forwarded-For (TRUST_PROXY): only behind a proxy that sets it,
   * since anyone can send the header and the receiver limits failed attempts per address.
   */
  trustProxy: boolean;
  /** Hosts a Level base URL may name (LEVEL_ALLOWED_HOSTS, default api.level.io). */
  levelHosts: LevelHostPolicy;
  /** Where the console links each run it started (the Temporal Web UI; default: the dev server's). */
  temporalUiUrl: string;
  /** TLS, mTLS and API key for the Temporal connection (TEMPORAL_TLS_*, TEMPORAL_API_KEY); secrets stay inside. */
  temporalSecurity: TemporalSecurity;
  /** Where the API serves GET /metrics (METRICS_PORT); undefined: on the API port. */
  metricsPort: number | undefined;
  /** Required as a Bearer token on every /metrics when set (METRICS_TOKEN); a secret, never logged. */
  metricsToken: string | undefined;
  /** Where `npm run start:worker` serves its /metrics (WORKER_METRICS_PORT, default 9464). */
  workerMetricsPort: number;
  /** OTLP/HTTP collector (OTEL_EXPORTER_OTLP_ENDPOINT): traces are exported there; unset, tracing is off. */
  otlpEndpoint: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  // Moving /metrics to the API's own port would fail at start-up with EADDRINUSE: say why now.
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT)
    throw new ConfigError(
      'Invalid configuration: METRICS_PORT: must differ from PORT (unset it to serve /metrics on the API port)',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    masterKey: e.MASTER_KEY ? parseMasterKeyOrThrow(e.MASTER_KEY, 'MASTER_KEY') : undefined,
    masterKeyPrevious: e.MASTER_KEY_PREVIOUS
      ? parseMasterKeyOrThrow(e.MASTER_KEY_PREVIOUS, 'MASTER_KEY_PREVIOUS')
      : undefined,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    levelRequestsPerMinute: e.LEVEL_REQUESTS_PER_MINUTE,
    runWaitTimeoutMs: e.RUN_WAIT_TIMEOUT_MS,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    workerNiceness: e.WORKER_NICENESS,
    levelHosts: levelHostsOrThrow(e.LEVEL_ALLOWED_HOSTS),
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    temporalUiUrl: e.TEMPORAL_UI_URL.replace(/\/+$/, ''),
    temporalSecurity: temporalSecurityOrThrow(e),
    metricsPort: e.METRICS_PORT,
    metricsToken: e.METRICS_TOKEN,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}

function levelHostsOrThrow(value: string | undefined): LevelHostPolicy {
  try {
    const policy = LevelHostPolicy.fromSetting(value);
    if (policy.allowed.length === 0) throw new Error('names no host');
    return policy;
  } catch (err) {
    throw new ConfigError(`Invalid configuration: LEVEL_ALLOWED_HOSTS: ${(err as Error).message}`);
  }
}

function temporalSecurityOrThrow(settings: Parameters<typeof readTemporalSecurity>[0]): TemporalSecurity {
  try {
    return readTemporalSecurity(settings);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
  }
}

function parseMasterKeyOrThrow(value: string, setting: string): Buffer {
  try {
    return parseMasterKey(value);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${setting}: ${(err as Error).message}`);
  }
}

/** The production entry points run against real, separately managed services. */
export function requireProductionSettings(config: AppConfig): asserts config is AppConfig & {
  databaseUrl: string;
  temporalAddress: string;
  masterKey: Buffer;
} {
  const missing = [
    config.databaseUrl ? null : 'DATABASE_URL',
    config.temporalAddress ? null : 'TEMPORAL_ADDRESS',
    config.masterKey ? null : 'MASTER_KEY',
  ].filter((name): name is string => name !== null);
  if (missing.length > 0) {
    throw new ConfigError(`Missing required settings: ${missing.join(', ')} (npm start provides embedded defaults)`);
  }
}
