// The health snapshot's reads and writes (activities/health-snapshot.ts): the last reading of a
// device, shared by every worker process so tickets of one device within a few minutes cost Level
// one request; and the note, written once per action id in the alert lifecycle's `alert_actions`
// (see AlertActionSchema), so a retried activity never adds a second note.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeviceHealth } from '../domain/health-snapshot';
import { claimAction, findActionOutcome } from './alert-actions';
import { addNote } from './ticket-store';

export interface HealthReading {
  health: DeviceHealth;
  fetchedAt: Date;
}

export interface NoteOnceInput {
  actionId: string;
  tenantId: string;
  levelAlertId: string;
  ticketId: string;
  body: string;
}

/** The device's reading if it was taken less than `maxAgeMs` ago (by the database's clock, the one all workers share). */
export async function findRecentHealthReading(
  em: EntityManager,
  tenantId: string,
  levelDeviceId: string,
  maxAgeMs: number,
): Promise<HealthReading | null> {
  const rows = await em.execute<Array<{ health: DeviceHealth; fetched_at: Date }>>(
    `select "health", "fetched_at" from "device_health_readings"
     where "tenant_id" = ? and "level_device_id" = ? and "fetched_at" > clock_timestamp() - ? * interval '1 millisecond'`,
    [tenantId, levelDeviceId, maxAgeMs],
  );
  const row = rows[0];
  return row ? { health: row.health, fetchedAt: new Date(row.fetched_at) } : null;
}

/** Stores a fresh reading of the device (replacing an older one) and answers when it was taken. */
export async function saveHealthReading(
  em: EntityManager,
  tenantId: string,
  levelDeviceId: string,
  health: DeviceHealth,
): Promise<Date> {
  const rows = await em.execute<Array<{ fetched_at: Date }>>(
    `insert into "device_health_readings" ("tenant_id", "level_device_id", "health", "fetched_at") values (?, ?, ?::jsonb, clock_timestamp())
     on conflict ("tenant_id", "level_device_id") do update set "health" = excluded."health", "fetched_at" = excluded."fetched_at"
     returning "fetched_at"`,
    [tenantId, levelDeviceId, JSON.stringify(health)],
  );
  return new Date(rows[0]!.fetched_at);
}

/**
 * Adds a system note to the ticket unless the action already ran: the action id and its outcome
 * are stored in the same transaction as the note. A concurrent duplicate waits on the action id's
 * row and then writes nothing; either way the outcome stored first is returned.
 */
export async function addNoteOnce<T extends object>(em: EntityManager, input: NoteOnceInput, outcome: T): Promise<T> {
  return em.transactional(async (tx) => {
    if (!(await claimAction(tx, input, outcome))) return (await findActionOutcome<T>(tx, input.actionId))!;
    await addNote(tx, input.ticketId, 'system', input.body);
    return outcome;
  });
}
