// Storm grouping, the pure part: what one arrival of a storm key does, given what the storm run
// counted and what the database says now, and the texts of a storm's parent ticket. An arrival is
// an alert that routing would ticket, for a tenant with storm grouping on; the storm run of its
// key (one client, or one client and condition) processes arrivals one at a time
// (workflows/storm-grouping.ts) and db/storm-store.ts writes what this decides.
import { MAX_TITLE_LENGTH, TRUNCATION_MARK } from './ticket-templates';

export type StormDecision =
  /** The alert resolved (or is gone) before its arrival was processed: nothing to ticket. */
  | { action: 'skip' }
  /** A storm is on (its parent is open): the alert joins it. */
  | { action: 'attach'; parentTicketId: string }
  /** This arrival reaches the threshold: a parent opens; it and the earlier arrivals of the window join it. */
  | { action: 'open' }
  /** Below the threshold: the alert gets the ticket it would have had without storm grouping. */
  | { action: 'own' };

export interface StormFacts {
  /** The alert is still active (not resolved, dampened, failed). */
  alertActive: boolean;
  /** The key's open parent ticket, if a storm is on. */
  openParentTicketId: string | null;
  /**
   * Distinct alerts of the key that arrived within the window before this one and were not
   * grouped into a storm (the storm run's count; it starts afresh after a storm).
   */
  earlierInWindow: number;
  threshold: number;
}

export function decideStormArrival({
  alertActive,
  openParentTicketId,
  earlierInWindow,
  threshold,
}: StormFacts): StormDecision {
  if (!alertActive) return { action: 'skip' };
  if (openParentTicketId !== null) return { action: 'attach', parentTicketId: openParentTicketId };
  return earlierInWindow + 1 >= threshold ? { action: 'open' } : { action: 'own' };
}

/**
 * The alerts the window still holds at `now` (epoch ms): those that arrived within the last
 * `windowMinutes`. A repeat of an alert keeps its first arrival (an alert counts once).
 */
export function arrivalsInWindow<T extends { alertId: string; at: number }>(
  arrivals: readonly T[],
  now: number,
  windowMinutes: number,
): T[] {
  const since = now - windowMinutes * 60_000;
  return arrivals.filter((arrival) => arrival.at > since);
}

export interface StormTitleFacts {
  /** The condition's name when the storm is one condition (its alerts share one name), else null. */
  condition: string | null;
  /** How many different conditions its alerts have (used when `condition` is null). */
  conditions: number;
  clientName: string;
  devices: number;
}

/** "Storm: Disk space low on Acme — 12 devices", at most the title column's length. */
export function stormTitle({ condition, conditions, clientName, devices }: StormTitleFacts): string {
  const what = condition ?? `${conditions} alert conditions`;
  const tail = ` on ${clientName || 'an unnamed client'} — ${devices} ${devices === 1 ? 'device' : 'devices'}`;
  const title = `Storm: ${what.replace(/\s+/g, ' ').trim()}${tail}`;
  if (title.length <= MAX_TITLE_LENGTH) return title;
  // Cut the condition, never the count.
  const room = Math.max(0, MAX_TITLE_LENGTH - tail.length - 'Storm: '.length - TRUNCATION_MARK.length);
  return `Storm: ${what.slice(0, room).trimEnd()}${TRUNCATION_MARK}${tail}`.slice(0, MAX_TITLE_LENGTH);
}

export function stormDescription({
  clientName,
  threshold,
  windowMinutes,
  groupBy,
}: {
  clientName: string;
  threshold: number;
  windowMinutes: number;
  groupBy: 'client' | 'client_condition';
}): string {
  const of = groupBy === 'client_condition' ? 'of one condition' : '';
  return [
    `An alert storm: ${threshold} or more alerts ${of ? `${of} ` : ''}on ${clientName || 'this client'}'s devices arrived within ${windowMinutes} minute(s).`,
    "The storm's alerts are grouped on this ticket (its child alerts) instead of opening one ticket each; tickets they had opened just before are linked here and closed.",
    'Later alerts of the storm join this ticket while it is open. It closes by itself when its last alert resolves, unless a person has worked on it.',
  ].join('\n');
}

/** The note on a ticket grouped into a storm's parent. */
export function groupedNote(parentNumber: number, closed: boolean): string {
  const base = `Grouped into storm ticket #${parentNumber}: its alerts continue there.`;
  return closed
    ? `${base} This ticket was closed.`
    : `${base} This ticket stays open because a person has worked on it or another alert on it is active.`;
}
