// The health snapshot of a new ticket (issue 15, item 4): one note recording what Level says about
// the device at that moment, and the alert's own text. One Level request under the integration's
// shared budget, reused for the same device for a few minutes (db/device-health-store.ts, shared by
// all workers). The note is a courtesy to the technician, never a condition of the ticket: a Level
// that fails, is slow or is out of budget leaves a short "Health unavailable" note and the activity
// succeeds. Only database errors throw (and are retried); the note is written once per action id.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/activity';
import type { AlertSnapshot } from '../contracts/alerts';
import { INTEGRATION_NOT_CONFIGURED } from '../contracts/failures';
import { findActionOutcome } from '../db/alert-actions';
import { addNoteOnce, findRecentHealthReading, saveHealthReading, type HealthReading } from '../db/device-health-store';
import { findTicket } from '../db/ticket-store';
import { deviceHealth, healthSnapshotNote, healthUnavailableNote, type AlertText } from '../domain/health-snapshot';
import { boundedBudget, LevelBudgetExhaustedError } from '../level/bounded-budget';
import { LevelApiError, LevelNetworkError } from '../level/errors';
import type { DeviceInclude } from '../level/query';
import { SecretUnreadableError } from '../security/secret-box';
import type { ActivityDeps } from './deps';
import { openLevelClient } from './level-access';
import { createPostgresRequestBudget } from '../db/postgres-request-budget';

/** The alert as the lifecycle knows it, plus Level's `payload` when the caller has it (AlertSnapshot omits it). */
export type HealthSnapshotAlert = AlertSnapshot & { payload?: string | null };

export interface RecordHealthSnapshotInput {
  tenantId: string;
  integrationId: string;
  ticketId: string;
  levelDeviceId: string;
  snapshot: HealthSnapshotAlert;
  /** Drawn once by the workflow: a retried activity with the same id writes no second note. */
  actionId: string;
}

/** What the run's history keeps: no device data, no secret. */
export type HealthSnapshotOutcome =
  | { outcome: 'health_noted'; ticketId: string; readAt: string; reused: boolean }
  | { outcome: 'health_unavailable'; ticketId: string; reason: string }
  | { outcome: 'no_ticket'; ticketId: string };

export interface HealthSnapshotOptions {
  /** How long a reading of a device is reused. Default 5 minutes. */
  reuseMs?: number;
  /** How long the call may wait for the shared request budget before giving up. Default 10 s. */
  budgetWaitMs?: number;
  /** Per HTTP attempt. Default 5 s (two attempts at most). */
  levelTimeoutMs?: number;
}

/** The detail flags that carry the OS (and its end of life) and the security fields. */
export const HEALTH_DEVICE_INCLUDES: DeviceInclude[] = ['operating_system', 'security'];

const DEFAULTS: Required<HealthSnapshotOptions> = { reuseMs: 5 * 60_000, budgetWaitMs: 10_000, levelTimeoutMs: 5_000 };

type Reading = (HealthReading & { reused: boolean }) | { unavailable: string };

export function createHealthSnapshotActivities(deps: ActivityDeps, options: HealthSnapshotOptions = {}) {
  const settings = { ...DEFAULTS, ...options };
  // Tickets of one device opening together (several alerts at once) share one Level request in
  // this process; across processes the stored reading does the same a moment later.
  const inFlight = new Map<string, Promise<Reading>>();

  /** A recent stored reading, or a fresh one from Level (stored for the next ticket), or why there is none. */
  const readHealth = async (em: EntityManager, input: RecordHealthSnapshotInput): Promise<Reading> => {
    const recent = await findRecentHealthReading(em, input.tenantId, input.levelDeviceId, settings.reuseMs);
    if (recent) return { ...recent, reused: true };
    const key = JSON.stringify([input.tenantId, input.levelDeviceId]);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const reading = fetchHealth(deps, em, input, settings).finally(() => inFlight.delete(key));
    inFlight.set(key, reading);
    return reading;
  };

  return {
    /** Notes the device's health (or why it is unavailable) on the ticket, once per action id. */
    async recordHealthSnapshot(input: RecordHealthSnapshotInput): Promise<HealthSnapshotOutcome> {
      const em = deps.orm.em.fork();
      // A retry after the note was written asks Level nothing.
      const prior = await findActionOutcome<HealthSnapshotOutcome>(em, input.actionId);
      if (prior) return prior;
      if (!(await findTicket(em, input.tenantId, input.ticketId)))
        return { outcome: 'no_ticket', ticketId: input.ticketId };

      const reading = await readHealth(em, input);
      const alert: AlertText = { description: input.snapshot.description, payload: input.snapshot.payload };
      const note = {
        actionId: input.actionId,
        tenantId: input.tenantId,
        levelAlertId: input.snapshot.levelAlertId,
        ticketId: input.ticketId,
      };
      if ('unavailable' in reading) {
        deps.logger.warn(
          {
            tenantId: input.tenantId,
            levelDeviceId: input.levelDeviceId,
            ticketId: input.ticketId,
            reason: reading.unavailable,
          },
          'health snapshot unavailable',
        );
        const body = healthUnavailableNote(reading.unavailable, alert);
        return addNoteOnce<HealthSnapshotOutcome>(
          em,
          { ...note, body },
          { outcome: 'health_unavailable', ticketId: input.ticketId, reason: reading.unavailable },
        );
      }
      const body = healthSnapshotNote(reading.health, alert, { readAt: reading.fetchedAt, now: new Date() });
      return addNoteOnce<HealthSnapshotOutcome>(
        em,
        { ...note, body },
        {
          outcome: 'health_noted',
          ticketId: input.ticketId,
          readAt: reading.fetchedAt.toISOString(),
          reused: reading.reused,
        },
      );
    },
  };
}

/** One GET of the device under the shared budget (bounded wait, one retry), stored as the device's reading. */
async function fetchHealth(
  deps: ActivityDeps,
  em: EntityManager,
  input: RecordHealthSnapshotInput,
  settings: Required<HealthSnapshotOptions>,
): Promise<Reading> {
  let device;
  try {
    // The shared budget, as openBudgetedLevelClient builds it, but one that gives up rather than waits long.
    const budget = boundedBudget(
      createPostgresRequestBudget(em.getKnex(), input.integrationId, {
        requestsPerMinute: deps.levelRequestsPerMinute,
      }),
      settings.budgetWaitMs,
    );
    const { client } = await openLevelClient(deps, em, input.integrationId, {
      budget,
      maxRetries: 1,
      timeoutMs: settings.levelTimeoutMs,
    });
    device = await client.getDevice(input.levelDeviceId, HEALTH_DEVICE_INCLUDES);
  } catch (err) {
    const reason = unavailableReason(err);
    if (reason === null) throw err;
    return { unavailable: reason };
  }
  const health = deviceHealth(device);
  return { health, fetchedAt: await saveHealthReading(em, input.tenantId, input.levelDeviceId, health), reused: false };
}

/**
 * Why Level could not be read, in words fixed here (no server text, no URL, never the key); null
 * for anything that is not about Level (a database error: thrown, so Temporal retries it).
 */
export function unavailableReason(err: unknown): string | null {
  if (err instanceof LevelBudgetExhaustedError) return 'the Level request budget is used up for now (nothing was sent)';
  if (err instanceof ApplicationFailure && err.type === INTEGRATION_NOT_CONFIGURED)
    return 'the Level integration has no API key';
  if (err instanceof SecretUnreadableError) return 'the stored Level API key cannot be opened';
  if (!(err instanceof LevelApiError)) return null;
  const status = err.status === undefined ? '' : ` (HTTP ${err.status})`;
  switch (err.code) {
    case 'auth_rejected':
      return `Level rejected the API key${status}`;
    case 'not_found':
      return `Level does not know this device${status}`;
    case 'rate_limited':
      return `Level is rate-limiting requests${status}`;
    case 'server_error':
      return `Level answered with a server error${status}`;
    case 'network_error':
      return err instanceof LevelNetworkError && err.causeCode === 'timeout'
        ? 'Level did not answer in time'
        : 'Level could not be reached';
    case 'bad_response':
      return `Level's answer was not readable${status}`;
    case 'invalid_base_url':
      return 'the Level address is not allowed (LEVEL_ALLOWED_HOSTS)';
    default:
      return `Level refused the request${status}`;
  }
}
