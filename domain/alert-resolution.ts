// What a resolved alert does to the ticket it fired into, and what the ticket is told; and the
// words for a person closing a ticket whose rule resolves the alert in Level. Pure, beside
// decideRoute (alert-routing.ts): the caller reads the facts and carries the decision out.

export type ResolveDecision =
  /** Close the ticket, unless a person has worked on it: then it stays open with `keptOpenNote`. */
  | { action: 'closeIfUntouched'; closedNote: string; keptOpenNote: string }
  /** Leave the ticket as it is, with a note. */
  | { action: 'note'; note: string };

export interface ResolveFacts {
  alertName: string;
  resolvedAt: Date;
  /** The rule the alert matched says to close its ticket when it resolves. */
  autoResolveTicket: boolean;
  /** Alerts on the same ticket (a storm's, or another occurrence's) still active. */
  otherActiveAlerts: number;
}

export function decideResolve(facts: ResolveFacts): ResolveDecision {
  const resolved = `The alert "${facts.alertName}" resolved in Level at ${facts.resolvedAt.toISOString()}`;
  if (facts.autoResolveTicket && facts.otherActiveAlerts === 0) {
    return {
      action: 'closeIfUntouched',
      closedNote: `${resolved}; the ticket was closed automatically.`,
      keptOpenNote: `${resolved}. The ticket stays open because a person has worked on it.`,
    };
  }
  const why =
    facts.otherActiveAlerts > 0 ? ` ${facts.otherActiveAlerts} other alert(s) on this ticket are still active.` : '';
  return { action: 'note', note: `${resolved}.${why}` };
}

/** The note when the alert was resolved in Level because a person closed its ticket. */
export function resolvedInLevelNote(alertName: string): string {
  return `The alert "${alertName}" was resolved in Level because the ticket was closed.`;
}

/** Why Level would not resolve the alert, in words a person can act on. */
export function levelRefusalReason(refusal: { status?: number; message: string }): string {
  if (refusal.status === 403)
    return 'Level refused (HTTP 403): the API key is read-only; give it write access to resolve alerts from tickets.';
  if (refusal.status === 404) return 'Level does not know this alert any more (HTTP 404).';
  return refusal.message;
}

/** The note when Level would not resolve it. */
export function levelRefusedNote(alertName: string, reason: string): string {
  return `Could not resolve the alert "${alertName}" in Level: ${reason}`;
}
