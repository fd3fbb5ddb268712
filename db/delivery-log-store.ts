// The webhook delivery log's SQL: batched inserts and stats from the receiver's recorder, the
// list's parked overlay (read from the inbox), the stats on the card, and background pruning.
import type { EntityManager } from '@mikro-orm/postgresql';
import { storable } from '../domain/storable-text';
import { WebhookDeliveryStatsSchema, type DeliveryOutcome, type DeliverySource } from './entities/webhook-delivery';

export interface DeliveryRow {
  id: string;
  tenantId: string;
  integrationId: string;
  receivedAt: Date;
  source: DeliverySource;
  eventType: string | null;
  eventId: string | null;
  outcome: Exclude<DeliveryOutcome, 'parked'>;
  httpStatus: number;
  recordedIn: string | null;
  levelAlertId: string | null;
  levelDeviceId: string | null;
  workflowId: string | null;
  error: string | null;
}

/** What one flush adds to an integration's stats. */
export interface StatsIncrement {
  integrationId: string;
  tenantId: string;
  lastReceivedAt: Date | null;
  unauthenticatedAttempts: number;
  unauthenticatedSince: Date | null;
}

export const DELIVERY_LOG_MAX_ROWS = 10_000;
export const DELIVERY_LOG_MAX_AGE_DAYS = 30;
/** Texts come from senders: NUL and lone surrogates would make PostgreSQL refuse the whole batch. */
const text = (value: string | null): string | null => (value === null ? null : storable(value));

/** Rows per insert statement (14 parameters each, well under PostgreSQL's 65,535). */
const INSERT_CHUNK = 1_000;

export async function insertDeliveries(em: EntityManager, rows: readonly DeliveryRow[]): Promise<void> {
  const knex = em.getKnex();
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await knex('webhook_deliveries').insert(
      rows.slice(start, start + INSERT_CHUNK).map((row) => ({
        id: row.id,
        tenant_id: row.tenantId,
        integration_id: row.integrationId,
        received_at: row.receivedAt,
        source: row.source,
        event_type: text(row.eventType),
        event_id: text(row.eventId),
        outcome: row.outcome,
        http_status: row.httpStatus,
        recorded_in: text(row.recordedIn),
        level_alert_id: text(row.levelAlertId),
        level_device_id: text(row.levelDeviceId),
        workflow_id: text(row.workflowId),
        error: text(row.error),
      })),
    );
  }
}

/** Adds to each integration's counters; the last delivery only moves forward, the first attempt stays. */
export async function addDeliveryStats(em: EntityManager, increments: readonly StatsIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  await em.execute(
    `insert into "webhook_delivery_stats" ("integration_id", "tenant_id", "last_received_at", "unauthenticated_attempts", "unauthenticated_since")
     values ${increments.map(() => '(?, ?, ?::timestamptz, ?, ?::timestamptz)').join(', ')}
     on conflict ("integration_id") do update set
       "last_received_at" = greatest("webhook_delivery_stats"."last_received_at", excluded."last_received_at"),
       "unauthenticated_attempts" = "webhook_delivery_stats"."unauthenticated_attempts" + excluded."unauthenticated_attempts",
       "unauthenticated_since" = coalesce("webhook_delivery_stats"."unauthenticated_since", excluded."unauthenticated_since")`,
    increments.flatMap((inc) => [
      inc.integrationId,
      inc.tenantId,
      inc.lastReceivedAt,
      inc.unauthenticatedAttempts,
      inc.unauthenticatedSince,
    ]),
  );
}

export interface InboxState {
  id: string;
  status: string;
  lastError: string | null;
}

/** The inbox rows of these events (the log shows a parked one as `parked`), by event id. */
export async function inboxStates(
  em: EntityManager,
  tenantId: string,
  eventIds: readonly string[],
): Promise<Map<string, InboxState>> {
  if (eventIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ id: string; event_id: string; status: string; last_error: string | null }>>(
    `select "id", "event_id", "status", "last_error" from "webhook_inbox" where "tenant_id" = ? and "event_id" in (${eventIds.map(() => '?').join(', ')})`,
    [tenantId, ...eventIds],
  );
  return new Map(rows.map((row) => [row.event_id, { id: row.id, status: row.status, lastError: row.last_error }]));
}

/** The inbox row behind a logged delivery of the tenant (for redrive by the log's id), or null. */
export async function inboxIdOfDelivery(
  em: EntityManager,
  tenantId: string,
  deliveryId: string,
): Promise<string | null> {
  const rows = await em.execute<Array<{ id: string }>>(
    `select i."id" from "webhook_deliveries" d join "webhook_inbox" i on i."tenant_id" = d."tenant_id" and i."event_id" = d."event_id"
     where d."id" = ? and d."tenant_id" = ?`,
    [deliveryId, tenantId],
  );
  return rows[0]?.id ?? null;
}

export interface DeliveryStatsView {
  lastReceivedAt: string | null;
  unauthenticatedAttempts: number;
  unauthenticatedSince: string | null;
}

export async function deliveryStats(em: EntityManager, integrationId: string): Promise<DeliveryStatsView> {
  const row = await em.fork().findOne(WebhookDeliveryStatsSchema, { integrationId });
  return {
    lastReceivedAt: row?.lastReceivedAt?.toISOString() ?? null,
    unauthenticatedAttempts: row?.unauthenticatedAttempts ?? 0,
    unauthenticatedSince: row?.unauthenticatedSince?.toISOString() ?? null,
  };
}

/**
 * Keeps each tenant's newest `maxRows` rows of the last `maxAgeDays` days, in one statement (the
 * cut-off row of each tenant comes from its index). Returns how many rows went.
 */
export async function pruneDeliveryLog(
  em: EntityManager,
  maxRows = DELIVERY_LOG_MAX_ROWS,
  maxAgeDays = DELIVERY_LOG_MAX_AGE_DAYS,
): Promise<number> {
  const rows = await em.execute<Array<{ n: string }>>(
    `with "cut" as (
       select i."tenant_id", c."received_at", c."id" from "level_integrations" i
       left join lateral (
         select "received_at", "id" from "webhook_deliveries" w where w."tenant_id" = i."tenant_id"
         order by "received_at" desc, "id" desc offset ? limit 1) c on true),
     "gone" as (
       delete from "webhook_deliveries" d using "cut"
       where d."tenant_id" = "cut"."tenant_id"
         and (d."received_at" < now() - make_interval(days => ?)
              or ("cut"."id" is not null and (d."received_at", d."id") <= ("cut"."received_at", "cut"."id")))
       returning 1)
     select count(*) as n from "gone"`,
    [maxRows, maxAgeDays],
  );
  return Number(rows[0]?.n ?? 0);
}
