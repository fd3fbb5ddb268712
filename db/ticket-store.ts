// Ticket operations shared by the HTTP API and the alert lifecycle activities.
//
// Dedup: at most one ticket that is not closed exists per (tenant, device, condition). The
// partial unique index `tickets_one_open_per_condition` guarantees it; openOrAppendTicket first
// tries to add an occurrence to that ticket and otherwise inserts a new one with
// `on conflict do nothing`, so two concurrent firings end as one ticket with two occurrences.
// Every function takes the caller's EntityManager (a fork, or a transaction's EntityManager)
// and runs inside the caller's transaction when there is one. The fallback relies on
// PostgreSQL's default READ COMMITTED isolation, where each statement sees rows committed
// before it started.
//
// Reopen window (a rule's reopenWithinMinutes): when no ticket is open, the condition's most
// recently closed ticket, if it closed within the window, is reopened instead of a new one being
// inserted; the order of each round is then append, reopen, insert. Two routings racing for the
// same closed ticket: the UPDATE repeats its `status = 'closed'` check on the row once the other's
// lock is released (READ COMMITTED re-checks the target row), so only the first reopens it; the
// second changes nothing, its insert then conflicts with the reopened ticket and its next round
// appends to it. A reopen racing an insert of a new open ticket (possible only when the two
// routings see different windows, say two rules): the reopen's index entry waits for the insert's
// transaction and fails with a unique violation if it committed; the reopen runs in a savepoint,
// so that failure rolls back the reopen alone and the round goes on to insert (conflict) and the
// next one appends to the new ticket. Either way one ticket is open per condition, and the
// occurrence lands exactly once. A reopen that changed nothing is rolled back to its savepoint
// too: an UPDATE that waited for a concurrent writer locks the row's newest version before it
// re-checks, and keeps that lock when the check fails; held on into the insert (which waits for
// the per-tenant counter row), it deadlocked with a routing that had lost its insert (holding the
// counter row) and was appending to that very ticket. Rolled back, nothing a reopen locked is
// held while it waits for anything else.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Priority } from '../domain/priority';
import { TicketNoteSchema, TicketSchema, type NoteAuthor, type Ticket, type TicketNote } from './entities';
import { named } from './named-sql';

export interface OpenTicketInput {
  tenantId: string;
  levelDeviceId: string;
  /** Dedup key of the alert condition, see conditionKeyFor. */
  conditionKey: string;
  /** The alert firing into the ticket (alerts.id); added to `alertIds` once. */
  alertId: string;
  title: string;
  description: string;
  priority: Priority;
  clientId?: string | null;
  assetId?: string | null;
  assignee?: string | null;
  /** The rule that decided to open the ticket. */
  ruleId?: string | null;
  /** The system note added when the alert lands on an existing ticket; a default is used if absent. */
  occurrenceNote?: string;
  /** Reopen window: with no open ticket, reopen the condition's ticket closed at most this long before the recurrence. */
  reopen?: ReopenWindow;
}

export interface ReopenWindow {
  /** Minutes after its close during which a recurrence reopens the ticket (> 0). */
  withinMinutes: number;
  /** When the condition recurred: the window is counted back from here. */
  recurredAt: Date;
  /** The system note on the reopened ticket; told whether a person had closed it. */
  note: (closedByPerson: boolean) => string;
}

export interface OpenOrAppendResult {
  ticket: Ticket;
  /** True when a new ticket was opened, false when an occurrence was added to the open one (or it was reopened). */
  created: boolean;
  /** True when a recently closed ticket was reopened (see ReopenWindow). */
  reopened?: true;
}

export interface OpenOrAppendOutcome {
  ticketId: string;
  /** The ticket's number in the tenant ("#12"), as people name it. */
  ticketNumber: number;
  created: boolean;
  reopened?: true;
}

export interface OpenTicketHint {
  /** Whether the caller saw an open ticket for the condition a moment ago (absent: unknown). */
  openTicketSeen?: boolean;
}

export interface CloseResult {
  ticket: Ticket;
  /** True when this call closed the ticket; false when it was already closed (or, with onlyIfUntouched, a person had touched it). */
  closed: boolean;
}

export interface CloseOptions {
  /** Close only if no person has touched the ticket (the auto-resolve rule); checked atomically. */
  onlyIfUntouched?: boolean;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * The dedup key of an alert condition on a device: the Level device id and the alert name,
 * lower-cased with whitespace collapsed (so "CPU  high" and "cpu high" are the same condition).
 */
export function conditionKeyFor(levelDeviceId: string, alertName: string): string {
  return `${levelDeviceId}:${alertName.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/**
 * Opens a ticket for the alert, or adds an occurrence to the open ticket of the same device and
 * condition (increments `occurrences`, appends the alert id if new, adds a system note).
 * Safe under concurrency: losing the insert race falls back to appending.
 */
export async function openOrAppendTicket(em: EntityManager, input: OpenTicketInput): Promise<OpenOrAppendResult> {
  const { ticketId, ...outcome } = await openOrAppendTicketId(em, input);
  const ticket = await em.findOneOrFail(TicketSchema, { id: ticketId }, { refresh: true });
  return { ticket, ...outcome };
}

/** openOrAppendTicket without reading the ticket back: for callers that need only its id. */
export async function openOrAppendTicketId(
  em: EntityManager,
  input: OpenTicketInput,
  hint: OpenTicketHint = {},
): Promise<OpenOrAppendOutcome> {
  const run = async (tx: EntityManager): Promise<OpenOrAppendOutcome> => {
    // A caller that just saw no open ticket tries the insert first (one statement instead of two).
    let tryInsertFirst = hint.openTicketSeen === false;
    // Two rounds suffice: an insert only loses to a committed open ticket, which the next
    // append finds unless it was closed in between; a third round covers that.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (!tryInsertFirst) {
        const appended = await appendOccurrence(tx, input);
        if (appended) return { ticketId: appended.id, ticketNumber: appended.number, created: false };
      }
      tryInsertFirst = false;
      if (input.reopen && input.reopen.withinMinutes > 0) {
        const reopened = await reopenRecentlyClosed(tx, input, input.reopen);
        if (reopened) return { ticketId: reopened.id, ticketNumber: reopened.number, created: false, reopened: true };
      }
      const inserted = await insertTicket(tx, input);
      if (inserted) return { ticketId: inserted.id, ticketNumber: inserted.number, created: true };
    }
    throw new Error('Could not open or append to a ticket (contention on the same condition)');
  };
  // Nothing here fails half-way, so inside the caller's transaction no savepoint is needed.
  return em.isInTransaction() ? run(em) : em.transactional(run);
}

/** The tenant's open (not closed) ticket for a device and condition, if any. */
export async function findOpenTicket(
  em: EntityManager,
  tenantId: string,
  levelDeviceId: string,
  conditionKey: string,
): Promise<Ticket | null> {
  return em.findOne(TicketSchema, { tenantId, levelDeviceId, conditionKey, status: { $ne: 'closed' } });
}

/** A ticket of the tenant, or null (also for an id that is not a UUID). */
export async function findTicket(em: EntityManager, tenantId: string, id: string): Promise<Ticket | null> {
  if (!isUuid(id)) return null;
  return em.findOne(TicketSchema, { id, tenantId });
}

/** A ticket's notes, oldest first. */
export async function listNotes(em: EntityManager, ticketId: string): Promise<TicketNote[]> {
  return em.find(TicketNoteSchema, { ticketId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** Adds a note; a human note marks the ticket as touched by a person. Throws if the ticket does not exist. */
export async function addNote(
  em: EntityManager,
  ticketId: string,
  author: NoteAuthor,
  body: string,
): Promise<TicketNote> {
  const ticket = await em.findOneOrFail(TicketSchema, { id: ticketId });
  const now = new Date();
  const note = em.create(TicketNoteSchema, {
    id: randomUUID(),
    tenantId: ticket.tenantId,
    ticketId,
    author,
    body,
    createdAt: now,
  });
  if (author === 'human') ticket.touchedByHuman = true;
  ticket.updatedAt = now;
  await em.flush();
  return note;
}

/**
 * Closes a ticket (sets `closed_at`) and adds `note` as a system note when this call closed it.
 * Already closed: nothing changes. Throws if the ticket does not exist.
 */
export async function closeTicket(
  em: EntityManager,
  ticketId: string,
  note?: string,
  options: CloseOptions = {},
): Promise<CloseResult> {
  const closed = await em.transactional(async (tx) => {
    const rows = await tx.execute<Array<{ id: string; tenant_id: string }>>(
      `update "tickets" set "status" = 'closed', "closed_at" = now(), "updated_at" = now()
       where "id" = ? and "status" <> 'closed'${options.onlyIfUntouched ? ` and not "touched_by_human"` : ''}
       returning "id", "tenant_id"`,
      [ticketId],
    );
    const row = rows[0];
    if (!row) return false;
    if (note !== undefined && note.trim() !== '') await insertNote(tx, row.tenant_id, ticketId, 'system', note);
    return true;
  });
  const ticket = await em.findOneOrFail(TicketSchema, { id: ticketId }, { refresh: true });
  return { ticket, closed };
}

/** The next ticket number of a tenant; one atomic upsert, so numbers are never handed out twice. */
export async function allocateTicketNumber(em: EntityManager, tenantId: string): Promise<number> {
  const rows = await em.execute<Array<{ last_number: number }>>(
    `insert into "ticket_counters" ("tenant_id", "last_number") values (?, 1)
     on conflict ("tenant_id") do update set "last_number" = "ticket_counters"."last_number" + 1
     returning "last_number"`,
    [tenantId],
  );
  const number = rows[0]?.last_number;
  if (number === undefined) throw new Error('Ticket number allocation returned no row');
  return number;
}

// --- internals -------------------------------------------------------------------------------

/** A ticket as routing names it: its id and its number in the tenant. */
interface TicketRef {
  id: string;
  number: number;
}

/** Adds an occurrence to the open ticket, if there is one; returns it. */
async function appendOccurrence(tx: EntityManager, input: OpenTicketInput): Promise<TicketRef | null> {
  const rows = await tx.execute<Array<{ id: string; number: number; occurrences: number }>>(
    `update "tickets" set
       "occurrences" = "occurrences" + 1,
       "alert_ids" = case when "alert_ids" @> jsonb_build_array(?::text) then "alert_ids" else "alert_ids" || jsonb_build_array(?::text) end,
       "updated_at" = now()
     where "tenant_id" = ? and "level_device_id" = ? and "condition_key" = ? and "status" <> 'closed'
     returning "id", "number", "occurrences"`,
    [input.alertId, input.alertId, input.tenantId, input.levelDeviceId, input.conditionKey],
  );
  const row = rows[0];
  if (!row) return null;
  const body = input.occurrenceNote ?? `The alert fired again (occurrence ${row.occurrences}, alert ${input.alertId}).`;
  await insertNote(tx, input.tenantId, row.id, 'system', body);
  return { id: row.id, number: row.number };
}

/**
 * Reopens the condition's most recently closed ticket if it closed within the window before the
 * recurrence (status open, an occurrence, the alert id, a system note); its id, or null when there
 * is none or a concurrent routing got there first (see the reasoning at the top of this file).
 * A person closed it when it was touched: the automatic close only closes untouched tickets.
 */
async function reopenRecentlyClosed(
  tx: EntityManager,
  input: OpenTicketInput,
  window: ReopenWindow,
): Promise<TicketRef | null> {
  try {
    // A nested transaction is a savepoint: a unique violation, or nothing reopened, rolls back to it.
    return await tx.transactional(async (inner) => {
      const rows = await inner.execute<Array<{ id: string; number: number; touched_by_human: boolean }>>(
        `update "tickets" set
           "status" = 'open',
           "closed_at" = null,
           "occurrences" = "occurrences" + 1,
           "alert_ids" = case when "alert_ids" @> jsonb_build_array(?::text) then "alert_ids" else "alert_ids" || jsonb_build_array(?::text) end,
           "updated_at" = now()
         where "id" = (
             select "id" from "tickets"
             where "tenant_id" = ? and "level_device_id" = ? and "condition_key" = ? and "status" = 'closed'
               and "closed_at" >= ?::timestamptz - make_interval(mins => ?)
             order by "closed_at" desc limit 1)
           and "status" = 'closed'
         returning "id", "number", "touched_by_human"`,
        [
          input.alertId,
          input.alertId,
          input.tenantId,
          input.levelDeviceId,
          input.conditionKey,
          window.recurredAt.toISOString(),
          window.withinMinutes,
        ],
      );
      const row = rows[0];
      if (!row) throw new NothingReopened(); // releases any row lock the UPDATE took (see the top of this file)
      await insertNote(inner, input.tenantId, row.id, 'system', window.note(row.touched_by_human));
      return { id: row.id, number: row.number };
    });
  } catch (err) {
    if (err instanceof NothingReopened || err instanceof UniqueConstraintViolationException) return null;
    throw err;
  }
}

class NothingReopened extends Error {}

/** A new ticket's row: what an alert's own ticket and a storm's parent ticket differ in. */
export interface NewTicketRow {
  tenantId: string;
  kind: Ticket['kind'];
  title: string;
  description: string;
  priority: Priority;
  clientId: string | null;
  assetId: string | null;
  levelDeviceId: string;
  conditionKey: string;
  alertIds: string[];
  occurrences: number;
  assignee: string | null;
  ruleId: string | null;
}

/**
 * Inserts a new open ticket with the next number, in one statement, or returns null when an open
 * ticket for the same condition exists (committed meanwhile by someone else). Losing gives the
 * number back: the counter row stays locked by this transaction from the increment on, so nobody
 * can have taken a later number and the decrement is exact.
 */
export async function insertNumberedTicket(tx: EntityManager, row: NewTicketRow): Promise<TicketRef | null> {
  const rows = await tx.execute<Array<{ id: string; number: number }>>(
    named(
      tx,
      `with "next" as (
         insert into "ticket_counters" ("tenant_id", "last_number") values (:tenantId, 1)
         on conflict ("tenant_id") do update set "last_number" = "ticket_counters"."last_number" + 1
         returning "last_number")
       insert into "tickets" ("id", "tenant_id", "number", "title", "description", "priority", "status", "client_id", "asset_id",
         "level_device_id", "condition_key", "alert_ids", "occurrences", "assignee", "touched_by_human", "rule_id", "kind", "created_at", "updated_at")
       select :id, :tenantId, "next"."last_number", :title, :description, :priority, 'open', :clientId, :assetId,
         :levelDeviceId, :conditionKey, :alertIds::jsonb, :occurrences, :assignee, false, :ruleId, :kind, now(), now() from "next"
       on conflict ("tenant_id", "level_device_id", "condition_key") where "status" <> 'closed' do nothing
       returning "id", "number"`,
      { ...row, id: randomUUID(), alertIds: JSON.stringify(row.alertIds) },
    ),
  );
  if (rows[0]) return { id: rows[0].id, number: rows[0].number };
  await tx.execute(
    `update "ticket_counters" set "last_number" = "last_number" - 1 where "tenant_id" = ?`,
    [row.tenantId],
    'run',
  );
  return null;
}

/** The alert's own new ticket (see insertNumberedTicket). */
function insertTicket(tx: EntityManager, input: OpenTicketInput): Promise<TicketRef | null> {
  return insertNumberedTicket(tx, {
    tenantId: input.tenantId,
    kind: 'alert',
    title: input.title,
    description: input.description,
    priority: input.priority,
    clientId: input.clientId ?? null,
    assetId: input.assetId ?? null,
    levelDeviceId: input.levelDeviceId,
    conditionKey: input.conditionKey,
    alertIds: [input.alertId],
    occurrences: 1,
    assignee: input.assignee ?? null,
    ruleId: input.ruleId ?? null,
  });
}

async function insertNote(
  tx: EntityManager,
  tenantId: string,
  ticketId: string,
  author: NoteAuthor,
  body: string,
): Promise<void> {
  await tx.execute(
    `insert into "ticket_notes" ("id", "tenant_id", "ticket_id", "author", "body", "created_at") values (?, ?, ?, ?, ?, clock_timestamp())`,
    [randomUUID(), tenantId, ticketId, author, body],
    'run',
  );
}
