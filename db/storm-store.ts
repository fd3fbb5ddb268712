// Storm grouping's writes: everything one arrival does, in one transaction (called by the storm
// run's activity, one arrival of a key at a time; see workflows/storm-grouping.ts).
//
// Why it is exact. The storm run is the only writer for its key: it takes arrivals one at a time
// and waits for this transaction before the next, so "is a parent open, else how many arrived"
// is never read by two writers of one key at once. What else touches the same rows:
// - The alert's resolve (resolveAlertRecord) locks the alert row first, as this transaction does.
//   Whichever commits first is seen by the other: a resolve first → the arrival is skipped (no
//   ticket for an alert that is gone); this first → the resolve reads the alert's new ticket (the
//   parent) and closes it when no other alert on it is active. The resolve then locks the ticket
//   row before it counts the ticket's other active alerts, so two last alerts resolving at once
//   cannot both see the other still active: the later one sees the earlier one committed.
// - Locks are taken in one order everywhere here: this alert, the key's parent (or the ticket
//   counter when opening one), the earlier alerts (by id), their tickets (by id). A resolve locks
//   one alert then one ticket; routing appends to a ticket and then writes its own (other) alert.
// - The parent's condition key is the storm key, and its device is '': the partial unique index
//   that keeps one open ticket per device and condition also keeps one open parent per key.
// A retried activity finds its outcome under the arrival's action id (stored in the same
// transaction, after the alert row is locked, so a retry running beside its first attempt waits
// for it and then returns its outcome).
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomUUID } from 'node:crypto';
import type { StormArrival, StormGroupBy, StormKey } from '../contracts/storm';
import { reopenNote } from '../domain/alert-routing';
import { decideStormArrival, groupedNote, stormDescription, stormTitle } from '../domain/storm-grouping';
import { findActionOutcome, recordAction } from './alert-actions';
import { insertNumberedTicket, openOrAppendTicketId } from './ticket-store';

export type StormStepOutcome =
  | { step: 'skipped'; alertId: string }
  | { step: 'attached'; alertId: string; ticketId: string; ticketNumber: number; alerts: number; devices: number }
  | {
      step: 'opened';
      alertId: string;
      ticketId: string;
      ticketNumber: number;
      alerts: number;
      devices: number;
      groupedTicketIds: string[];
      movedAlertIds: string[];
    }
  | { step: 'own'; alertId: string; ticketId: string; created: boolean; reopened?: true };

/** The longest condition kept whole in a storm key (and so in a workflow id); longer ones end in a digest. */
const MAX_KEY_CONDITION = 200;

/** The storm key of an alert of a client: the client, and for client_condition its condition. */
export function stormKeyOf(groupBy: StormGroupBy, clientId: string, alertName: string): StormKey {
  if (groupBy === 'client') return { clientId, condition: null };
  const condition = alertName.trim().replace(/\s+/g, ' ').toLowerCase();
  if (condition.length <= MAX_KEY_CONDITION) return { clientId, condition };
  const digest = createHash('sha256').update(condition).digest('hex').slice(0, 16);
  return { clientId, condition: `${condition.slice(0, MAX_KEY_CONDITION - 17)}~${digest}` };
}

/** The condition key of the key's parent tickets (their device is ''). */
export function stormConditionKey(key: StormKey): string {
  return key.condition === null ? `storm:${key.clientId}` : `storm:${key.clientId}:${key.condition}`;
}

/** The action id of processing an arrival: a retry, or the same arrival sent again, finds its outcome. */
export function stormActionId(arrivalId: string): string {
  return `storm:${arrivalId}`;
}

export interface StormArrivalWork {
  arrival: StormArrival;
  /** Alerts (alerts.id) of the key that arrived before this one within the window and were not grouped (the run's count). */
  earlierAlertIds: string[];
}

/** One arrival: skip, attach to the open parent, open one (grouping the window's earlier alerts), or the alert's own ticket. */
export async function processStormArrival(
  em: EntityManager,
  { arrival, earlierAlertIds }: StormArrivalWork,
): Promise<{ outcome: StormStepOutcome; fresh: boolean }> {
  const actionId = stormActionId(arrival.arrivalId);
  return em.transactional(async (tx) => {
    const alerts = await tx.execute<Array<{ status: string }>>(
      `select "status" from "alerts" where "id" = ? and "tenant_id" = ? for update`,
      [arrival.alertId, arrival.tenantId],
    );
    const prior = await findActionOutcome<StormStepOutcome>(tx, actionId);
    if (prior) return { outcome: prior, fresh: false };
    const conditionKey = stormConditionKey(arrival.key);
    const parents = await tx.execute<Array<{ id: string; number: number }>>(
      `select "id", "number" from "tickets" where "tenant_id" = ? and "level_device_id" = '' and "condition_key" = ? and "status" <> 'closed' for update`,
      [arrival.tenantId, conditionKey],
    );
    const earlier = earlierAlertIds.filter((id) => id !== arrival.alertId);
    const decision = decideStormArrival({
      alertActive: alerts[0]?.status === 'active',
      openParentTicketId: parents[0]?.id ?? null,
      earlierInWindow: earlier.length,
      threshold: arrival.threshold,
    });
    let outcome: StormStepOutcome;
    if (decision.action === 'skip') {
      outcome = { step: 'skipped', alertId: arrival.alertId };
    } else if (decision.action === 'attach') {
      await addChildren(tx, decision.parentTicketId, [arrival.alertId]);
      const counts = await refreshParent(tx, decision.parentTicketId, arrival.key.clientId);
      outcome = {
        step: 'attached',
        alertId: arrival.alertId,
        ticketId: decision.parentTicketId,
        ticketNumber: parents[0]!.number,
        ...counts,
      };
    } else if (decision.action === 'open') {
      outcome = await openStorm(tx, arrival, conditionKey, earlier);
    } else {
      outcome = await openOwnTicket(tx, arrival);
    }
    await recordAction(tx, { actionId, tenantId: arrival.tenantId, levelAlertId: arrival.levelAlertId }, outcome);
    return { outcome, fresh: true };
  });
}

/** The ticket the alert would have had without storm grouping: the same open-or-append (and reopen window) as routing. */
async function openOwnTicket(tx: EntityManager, arrival: StormArrival): Promise<StormStepOutcome> {
  const t = arrival.ticket;
  const recurredAt = new Date(t.recurredAt);
  const reopen =
    t.reopenWithinMinutes && t.reopenWithinMinutes > 0
      ? {
          reopen: {
            withinMinutes: t.reopenWithinMinutes,
            recurredAt,
            note: (byPerson: boolean) => reopenNote(recurredAt, byPerson),
          },
        }
      : {};
  const { ticketId, created, reopened } = await openOrAppendTicketId(tx, {
    tenantId: arrival.tenantId,
    levelDeviceId: t.levelDeviceId,
    conditionKey: t.conditionKey,
    alertId: arrival.alertId,
    title: t.title,
    description: t.description,
    priority: t.priority,
    clientId: arrival.key.clientId,
    assetId: t.assetId,
    assignee: t.assignee,
    ruleId: t.ruleId,
    ...(t.occurrenceNote ? { occurrenceNote: t.occurrenceNote } : {}),
    ...reopen,
  });
  await tx.execute(
    `update "alerts" set "ticket_id" = ?, "updated_at" = now() where "id" = ?`,
    [ticketId, arrival.alertId],
    'run',
  );
  return { step: 'own', alertId: arrival.alertId, ticketId, created, ...(reopened ? { reopened } : {}) };
}

/**
 * Opens the key's parent, moves the window's earlier alerts onto it (their own open tickets are
 * linked to it and closed with a note, unless a person worked on one or another alert on it is
 * still active: then linked and noted), and attaches this alert.
 */
async function openStorm(
  tx: EntityManager,
  arrival: StormArrival,
  conditionKey: string,
  earlier: string[],
): Promise<StormStepOutcome> {
  const clientName = await clientNameOf(tx, arrival.key.clientId);
  const t = arrival.ticket;
  const parent = await insertNumberedTicket(tx, {
    tenantId: arrival.tenantId,
    kind: 'storm',
    title: stormTitle({ condition: arrival.alertName, conditions: 1, clientName, devices: 1 }),
    description: stormDescription({
      clientName,
      threshold: arrival.threshold,
      windowMinutes: arrival.windowMinutes,
      groupBy: arrival.groupBy,
    }),
    priority: t.priority,
    clientId: arrival.key.clientId,
    // A storm spans devices: no asset, no device; its condition key is the storm key's.
    assetId: null,
    levelDeviceId: '',
    conditionKey,
    alertIds: [],
    occurrences: 0,
    assignee: t.assignee,
    ruleId: t.ruleId,
  });
  // The key's run is its only writer and found no open parent in this transaction.
  if (!parent) throw new Error(`an open storm ticket for ${conditionKey} appeared while the storm run held the key`);

  // The earlier alerts, then their open tickets, each locked in id order.
  const earlierRows =
    earlier.length === 0
      ? []
      : await tx.execute<Array<{ id: string; ticket_id: string | null }>>(
          `select "id", "ticket_id" from "alerts" where "tenant_id" = ? and "id" in (select jsonb_array_elements_text(?::jsonb)::uuid) order by "id" for update`,
          [arrival.tenantId, JSON.stringify(earlier)],
        );
  const ownTicketIds = [...new Set(earlierRows.flatMap((row) => (row.ticket_id ? [row.ticket_id] : [])))];
  const openOwn =
    ownTicketIds.length === 0
      ? []
      : await tx.execute<Array<{ id: string; touched_by_human: boolean }>>(
          `select "id", "touched_by_human" from "tickets" where "tenant_id" = ? and "kind" = 'alert' and "status" <> 'closed'
       and "id" in (select jsonb_array_elements_text(?::jsonb)::uuid) order by "id" for update`,
          [arrival.tenantId, JSON.stringify(ownTicketIds)],
        );
  const openOwnIds = new Set(openOwn.map((row) => row.id));
  const moved = earlierRows
    .filter((row) => row.ticket_id !== null && openOwnIds.has(row.ticket_id))
    .map((row) => row.id);
  await addChildren(tx, parent.id, [...moved, arrival.alertId]);

  for (const own of openOwn) {
    const stillActive = await tx.execute<Array<{ n: number }>>(
      `select count(*)::int as "n" from "alerts" where "ticket_id" = ? and "status" in ('active', 'suppressed', 'unmapped')`,
      [own.id],
    );
    const close = !own.touched_by_human && stillActive[0]!.n === 0;
    await tx.execute(
      `update "tickets" set "parent_ticket_id" = ?, "updated_at" = now()${close ? `, "status" = 'closed', "closed_at" = now()` : ''} where "id" = ?`,
      [parent.id, own.id],
      'run',
    );
    await insertSystemNote(tx, arrival.tenantId, own.id, groupedNote(parent.number, close));
  }
  const counts = await refreshParent(tx, parent.id, arrival.key.clientId, clientName);
  const grouped =
    openOwn.length > 0 ? ` ${openOwn.length} ticket(s) its alerts had opened just before were grouped here.` : '';
  await insertSystemNote(
    tx,
    arrival.tenantId,
    parent.id,
    `Storm: ${earlier.length + 1} alerts arrived within ${arrival.windowMinutes} minute(s) (threshold ${arrival.threshold}).${grouped} Later alerts of the storm join this ticket while it is open.`,
  );
  return {
    step: 'opened',
    alertId: arrival.alertId,
    ticketId: parent.id,
    ticketNumber: parent.number,
    ...counts,
    groupedTicketIds: openOwn.map((row) => row.id),
    movedAlertIds: moved,
  };
}

/** Points the alerts at the parent and adds them to its alert ids (each once). */
async function addChildren(tx: EntityManager, parentId: string, alertIds: string[]): Promise<void> {
  const ids = JSON.stringify(alertIds);
  await tx.execute(
    `update "alerts" set "ticket_id" = ?, "updated_at" = now() where "id" in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [parentId, ids],
    'run',
  );
  await tx.execute(
    `update "tickets" set "alert_ids" = "alert_ids" || coalesce((
       select jsonb_agg(n."id") from jsonb_array_elements_text(?::jsonb) as n("id") where not ("alert_ids" @> jsonb_build_array(n."id"))), '[]'::jsonb),
       "updated_at" = now()
     where "id" = ?`,
    [ids, parentId],
    'run',
  );
}

/** Keeps the parent's title ("— N devices") and occurrences (its alerts) current. */
async function refreshParent(
  tx: EntityManager,
  parentId: string,
  clientId: string,
  knownClientName?: string,
): Promise<{ alerts: number; devices: number }> {
  const rows = await tx.execute<Array<{ alerts: number; devices: number; conditions: number; name: string | null }>>(
    `select count(*)::int as "alerts", count(distinct a."level_device_id")::int as "devices",
       count(distinct lower(regexp_replace(btrim(a."name"), '\\s+', ' ', 'g')))::int as "conditions", min(a."name") as "name"
     from "alerts" a where a."id" in (select jsonb_array_elements_text(t."alert_ids")::uuid from "tickets" t where t."id" = ?)`,
    [parentId],
  );
  const stats = rows[0]!;
  const clientName = knownClientName ?? (await clientNameOf(tx, clientId));
  const title = stormTitle({
    condition: stats.conditions === 1 ? stats.name : null,
    conditions: stats.conditions,
    clientName,
    devices: stats.devices,
  });
  await tx.execute(
    `update "tickets" set "title" = ?, "occurrences" = ?, "updated_at" = now() where "id" = ?`,
    [title, stats.alerts, parentId],
    'run',
  );
  return { alerts: stats.alerts, devices: stats.devices };
}

async function clientNameOf(tx: EntityManager, clientId: string): Promise<string> {
  const rows = await tx.execute<Array<{ name: string }>>(`select "name" from "clients" where "id" = ?`, [clientId]);
  return rows[0]?.name ?? '';
}

async function insertSystemNote(tx: EntityManager, tenantId: string, ticketId: string, body: string): Promise<void> {
  await tx.execute(
    `insert into "ticket_notes" ("id", "tenant_id", "ticket_id", "author", "body", "created_at") values (?, ?, ?, 'system', ?, clock_timestamp())`,
    [randomUUID(), tenantId, ticketId, body],
    'run',
  );
}
