// The alert pipeline's contracts, shared by the receiver, the relay, the ticket hook, backfill and
// the workflows: workflow ids, typed signals and their payloads, the deliveries that carry them.
// Nothing here ever carries a secret: an event is the alert's public fields plus bookkeeping.
import { defineSignal } from '@temporalio/workflow';
import type { Severity } from '../domain/priority';
import { workflowId, type Operation } from './workflow-ids';
import { ALERT_LIFECYCLE_WORKFLOW, DEVICE_RECONCILE_WORKFLOW, type SignalledWorkflowType } from './workflows';

/** What the service keeps of a Level alert (no `payload`: it can be large and is not needed). */
export interface AlertSnapshot {
  levelAlertId: string;
  levelDeviceId: string;
  name: string;
  description: string | null;
  severity: Severity;
  /** ISO-8601 times as Level reported them. */
  startedAt: string | null;
  resolvedAt: string | null;
  hostname: string | null;
  levelGroupId: string | null;
}

export type AlertEventKind = 'triggered' | 'resolved';
export type AlertEventSource = 'template' | 'native' | 'backfill' | 'test' | 'reconcile';

/** Signal `alertEvent`: one thing Level said about an alert. */
export interface AlertEvent {
  /** Stable across redeliveries (Level's event_id, or derived from alert + event + time). */
  eventId: string;
  kind: AlertEventKind;
  /** When it happened at Level (ISO-8601); older than what the run already applied → ignored. */
  occurredAt: string;
  source: AlertEventSource;
  alert: AlertSnapshot;
}

/** Signal `ticketClosed`: a person closed a ticket this alert fired into. */
export interface TicketClosedSignal {
  ticketId: string;
  closedAt: string;
}

/** Signal `nudge` of the device reconcile run: a webhook named the device but no usable alert. */
export interface DeviceNudge {
  eventId: string;
  receivedAt: string;
}

export interface AlertLifecycleInput {
  tenantId: string;
  integrationId: string;
  levelAlertId: string;
  /** Carried over by continueAsNew; absent on a fresh start (the run then loads from the database). */
  carried?: CarriedAlertState;
}

export interface CarriedAlertState {
  status: 'unknown' | 'active' | 'resolved';
  /** Epoch ms of the newest applied event. */
  lastEventAt: number | null;
  snapshot: AlertSnapshot | null;
  /** Suppressed until then (epoch ms): the run routes the alert again at that moment if still active. */
  suppressedUntil: number | null;
  /**
   * Held by its rule until then (epoch ms, flap dampening): at that moment the run routes the
   * alert again, without a hold, if still active; a resolve before then ends it `dampened`.
   */
  heldUntil: number | null;
  recentEventIds: string[];
  pending: Array<{ type: 'event'; event: AlertEvent } | { type: 'ticketClosed'; signal: TicketClosedSignal }>;
}

export interface DeviceReconcileInput {
  tenantId: string;
  integrationId: string;
  levelDeviceId: string;
}

export interface BackfillAlertsInput {
  tenantId: string;
  integrationId: string;
  /** Resolved alerts older than this many days are counted but not replayed (unless still open here). Default 7. */
  resolvedLookbackDays?: number;
}

export interface BackfillAlertsResult {
  fetched: number;
  new: number;
  updated: number;
  resolved: number;
}

export const alertEventSignal = defineSignal<[AlertEvent]>('alertEvent');
export const ticketClosedSignal = defineSignal<[TicketClosedSignal]>('ticketClosed');
export const deviceNudgeSignal = defineSignal<[DeviceNudge]>('nudge');

export const ALERT_EVENT_SIGNAL = alertEventSignal.name;
export const TICKET_CLOSED_SIGNAL = ticketClosedSignal.name;
export const DEVICE_NUDGE_SIGNAL = deviceNudgeSignal.name;

/** Level ids may contain `/` and `+`: the id is percent-encoded so the workflow id stays URL-safe. */
export function alertWorkflowId(tenantId: string, levelAlertId: string): string {
  return workflowId(tenantId, 'alert', encodeURIComponent(levelAlertId));
}

export function deviceReconcileWorkflowId(tenantId: string, levelDeviceId: string): string {
  return workflowId(tenantId, 'backfill-alerts', `device/${encodeURIComponent(levelDeviceId)}`);
}

export function backfillWorkflowId(tenantId: string): string {
  return workflowId(tenantId, 'backfill-alerts');
}

/** One signalWithStart, as the receiver sends it or the inbox stores it for later. */
export interface SignalDelivery {
  tenantId: string;
  eventId: string;
  workflowId: string;
  workflowType: SignalledWorkflowType;
  workflowArgs: unknown[];
  signalName: string;
  signalArgs: unknown[];
  summary: string;
  operation: Operation;
}

export function alertEventDelivery(tenantId: string, integrationId: string, event: AlertEvent): SignalDelivery {
  const input: AlertLifecycleInput = { tenantId, integrationId, levelAlertId: event.alert.levelAlertId };
  return {
    tenantId,
    eventId: event.eventId,
    workflowId: alertWorkflowId(tenantId, event.alert.levelAlertId),
    workflowType: ALERT_LIFECYCLE_WORKFLOW,
    workflowArgs: [input],
    signalName: ALERT_EVENT_SIGNAL,
    signalArgs: [event],
    summary: `Level alert: ${truncate(event.alert.name, 80)}`,
    operation: 'alert',
  };
}

export function ticketClosedDelivery(
  tenantId: string,
  integrationId: string,
  levelAlertId: string,
  signal: TicketClosedSignal,
): SignalDelivery {
  const input: AlertLifecycleInput = { tenantId, integrationId, levelAlertId };
  return {
    tenantId,
    eventId: `ticket-closed:${signal.ticketId}:${levelAlertId}:${signal.closedAt}`,
    workflowId: alertWorkflowId(tenantId, levelAlertId),
    workflowType: ALERT_LIFECYCLE_WORKFLOW,
    workflowArgs: [input],
    signalName: TICKET_CLOSED_SIGNAL,
    signalArgs: [signal],
    summary: 'Level alert',
    operation: 'alert',
  };
}

export function deviceNudgeDelivery(
  tenantId: string,
  integrationId: string,
  levelDeviceId: string,
  nudge: DeviceNudge,
): SignalDelivery {
  const input: DeviceReconcileInput = { tenantId, integrationId, levelDeviceId };
  return {
    tenantId,
    eventId: nudge.eventId,
    workflowId: deviceReconcileWorkflowId(tenantId, levelDeviceId),
    workflowType: DEVICE_RECONCILE_WORKFLOW,
    workflowArgs: [input],
    signalName: DEVICE_NUDGE_SIGNAL,
    signalArgs: [nudge],
    summary: "Reconcile a device's Level alerts",
    operation: 'backfill-alerts',
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
