// What happens to a triggered alert, decided from what is known about it and its device: a
// maintenance window suppresses it, or the first matching rule records it or opens a ticket (or
// adds an occurrence to the open one; which of the two is the ticket store's business). An alert
// of a device without an asset (no mapping covers it) is unmapped: only `unmapped` rules see it.
import { findMatchingRule, priorityFor, type AlertRule } from './alert-rules';
import { findSuppressingWindow, type MaintenanceWindowSpec } from './maintenance-windows';
import type { Priority, Severity } from './priority';
import { renderTicketDescription, renderTicketTitle } from './ticket-templates';

/** A device's active asset as routing sees it. */
export interface DeviceContext {
  assetId: string;
  clientId: string;
  levelGroupId: string | null;
  /** The device's group and all its ancestors, nearest first. */
  groupAncestry: string[];
  deviceRole: string | null;
  deviceName: string;
  clientName: string;
}

/** The alert's fields routing looks at (an AlertSnapshot has them all). */
export interface TriggeredAlert {
  levelAlertId: string;
  levelDeviceId: string;
  name: string;
  description: string | null;
  severity: Severity;
  hostname: string | null;
  /** The group Level reported with the alert, for a device without an asset. */
  levelGroupId: string | null;
  /** When it started at Level (ISO-8601): a rule's hold counts from then. Absent: from routing. */
  startedAt?: string | null;
}

export interface TicketDraft {
  title: string;
  description: string;
  priority: Priority;
  assignee: string | null;
  /** The system note for an occurrence on the open ticket; absent: the ticket store's default. */
  occurrenceNote?: string;
}

export type RouteDecision =
  | { action: 'suppress'; windowId: string; until: Date }
  | { action: 'record'; ruleId: string | null }
  | { action: 'hold'; ruleId: string; until: Date }
  | { action: 'ticket'; rule: AlertRule; ticket: TicketDraft };

export interface RouteFacts {
  alert: TriggeredAlert;
  /**
   * Null: the device has no asset — no mapping covers it (or Level would not say): the alert is
   * unmapped, and only rules with `unmapped: true` apply to it.
   */
  device: DeviceContext | null;
  rules: readonly AlertRule[];
  windows: readonly MaintenanceWindowSpec[];
  at: Date;
  /** The alert had resolved and fired again. */
  reopened: boolean;
  /** Its rule's hold has ended with the alert still active: no second hold. */
  afterHold?: boolean;
}

export function decideRoute({ alert, device, rules, windows, at, reopened, afterHold }: RouteFacts): RouteDecision {
  const suppression = findSuppressingWindow(
    windows,
    { clientId: device?.clientId ?? null, assetId: device?.assetId ?? null },
    at,
  );
  if (suppression) return { action: 'suppress', windowId: suppression.window.id, until: suppression.endsAt };

  const levelGroupId = device?.levelGroupId ?? alert.levelGroupId;
  const rule = findMatchingRule(rules, {
    severity: alert.severity,
    clientId: device?.clientId ?? null,
    levelGroupId,
    groupAncestry: device?.groupAncestry ?? (levelGroupId ? [levelGroupId] : []),
    deviceRole: device?.deviceRole ?? null,
    name: alert.name,
    description: alert.description,
    unmapped: device === null,
  });
  if (!rule || !rule.actions.createTicket) return { action: 'record', ruleId: rule?.id ?? null };
  const heldUntil = afterHold ? null : holdEnd(rule.actions.holdMinutes, alert.startedAt, at);
  if (heldUntil) return { action: 'hold', ruleId: rule.id, until: heldUntil };

  const values = {
    device: device?.deviceName ?? alert.hostname ?? alert.levelDeviceId,
    alert: alert.name,
    severity: alert.severity,
    client: device?.clientName ?? '',
    description: alert.description ?? '',
  };
  return {
    action: 'ticket',
    rule,
    ticket: {
      title: renderTicketTitle(rule.actions.titleTemplate, values),
      description: renderTicketDescription(rule.actions.descriptionTemplate, values),
      priority: priorityFor(rule.actions, alert.severity),
      assignee: rule.actions.assignee ?? null,
      ...(reopened
        ? {
            occurrenceNote: `The alert "${alert.name}" fired again on ${values.device} after it had resolved (Level alert ${alert.levelAlertId}).`,
          }
        : {}),
    },
  };
}

/**
 * When a rule's hold on an alert ends, or null when there is none left to wait. The hold counts
 * from the alert's start at Level (an alert active for longer already, as backfill finds it, is
 * not held again); a start ahead of `at` (clock skew) counts from `at`, so no hold is longer than
 * the rule's.
 */
export function holdEnd(holdMinutes: number | undefined, startedAt: string | null | undefined, at: Date): Date | null {
  if (!holdMinutes || holdMinutes <= 0) return null;
  const end = recurrenceTime(startedAt, at).getTime() + holdMinutes * 60_000;
  return end > at.getTime() ? new Date(end) : null;
}

/** When a condition recurred: the alert's start at Level, unless that is ahead of `at` (clock skew) or unknown. */
export function recurrenceTime(startedAt: string | null | undefined, at: Date): Date {
  const started = startedAt ? Date.parse(startedAt) : Number.NaN;
  return Number.isNaN(started) || started > at.getTime() ? at : new Date(started);
}

/** The note on a ticket that a recurrence reopened. */
export function reopenNote(recurredAt: Date, closedByPerson: boolean): string {
  const base = `Recurred at ${recurredAt.toISOString()} — reopened.`;
  return closedByPerson ? `${base} A person had closed the ticket; the alert recurred after that.` : base;
}
