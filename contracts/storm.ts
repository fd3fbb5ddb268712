// Storm grouping's contracts: one run per storm key (`level/<tenant>/storm/<clientId>[/<condition>]`),
// fed by the alert runs with signalWithStart (an arrival each time routing would ticket an alert of
// the key while storm grouping is on). Only ids, names and the ticket the alert would have opened
// pass through history; nothing secret.
import { defineSignal } from '@temporalio/workflow';
import type { Priority } from '../domain/priority';
import type { AlertSnapshot, SignalDelivery } from './alerts';
import { workflowId } from './workflow-ids';
import { STORM_GROUPING_WORKFLOW } from './workflows';

export type StormGroupBy = 'client' | 'client_condition';

/** What a storm is counted by: a client, or a client and one condition (an alert name). */
export interface StormKey {
  clientId: string;
  /**
   * groupBy client_condition: the condition (the alert name, lower-cased, whitespace collapsed,
   * bounded; see stormKeyOf in db/storm-store.ts); null for groupBy client.
   */
  condition: string | null;
}

/** The ticket the alert would open on its own (its rule's), opened when no storm takes it. */
export interface StormOwnTicket {
  title: string;
  description: string;
  priority: Priority;
  assignee: string | null;
  occurrenceNote?: string;
  ruleId: string;
  levelDeviceId: string;
  conditionKey: string;
  assetId: string | null;
  /** The rule's reopen window (0 or absent: none) and when the condition recurred (ISO). */
  reopenWithinMinutes?: number;
  recurredAt: string;
}

/** Signal `stormArrival`: routing would ticket this alert of the key. */
export interface StormArrival {
  /** The routing's action id: one arrival per routing; a resent one is dropped by the run (and by the store). */
  arrivalId: string;
  tenantId: string;
  integrationId: string;
  key: StormKey;
  alertId: string;
  levelAlertId: string;
  /** The alert's name, for the parent's title. */
  alertName: string;
  /** The tenant's storm settings when the alert was routed. */
  threshold: number;
  windowMinutes: number;
  groupBy: StormGroupBy;
  ticket: StormOwnTicket;
  /** The alert as its run knows it: an own ticket the storm run opens gets its health snapshot note. */
  snapshot: AlertSnapshot;
}

/** An arrival the run counted: its alert and when it arrived (workflow time, epoch ms). */
export interface CountedArrival {
  alertId: string;
  at: number;
}

export interface StormGroupingInput {
  tenantId: string;
  key: StormKey;
  /** Carried over by continueAsNew. */
  carried?: {
    /** Arrivals of the window not grouped into a storm (the count towards the threshold). */
    window: CountedArrival[];
    /** Arrivals received and not yet processed, with when they arrived (workflow time, epoch ms). */
    pending: Array<{ arrival: StormArrival; at: number }>;
    recentArrivalIds: string[];
    /** The window's length the run last used (minutes). */
    windowMinutes: number;
  };
}

export interface StormGroupingResult {
  processed: number;
}

export const stormArrivalSignal = defineSignal<[StormArrival]>('stormArrival');
export const STORM_ARRIVAL_SIGNAL = stormArrivalSignal.name;

export function stormWorkflowId(tenantId: string, key: StormKey): string {
  const tail = key.condition === null ? key.clientId : `${key.clientId}/${encodeURIComponent(key.condition)}`;
  return workflowId(tenantId, 'storm', tail);
}

export function stormArrivalDelivery(arrival: StormArrival): SignalDelivery {
  const input: StormGroupingInput = { tenantId: arrival.tenantId, key: arrival.key };
  return {
    tenantId: arrival.tenantId,
    eventId: `storm-arrival:${arrival.arrivalId}`,
    workflowId: stormWorkflowId(arrival.tenantId, arrival.key),
    workflowType: STORM_GROUPING_WORKFLOW,
    workflowArgs: [input],
    signalName: STORM_ARRIVAL_SIGNAL,
    signalArgs: [arrival],
    summary: `Storm grouping — client ${arrival.key.clientId}${arrival.key.condition === null ? '' : ` · ${truncate(arrival.alertName, 80)}`}`,
    operation: 'storm',
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
