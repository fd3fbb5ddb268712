// Contracts of Level's native device and group events (`device_created` / `_updated` / `_deleted`,
// `group_created` / `_updated` / `_deleted`): one run per device (`level/<tenant>/device/<id>`) or
// group (`level/<tenant>/group/<id>`), fed by the receiver with signalWithStart like the alert
// runs. An event carries only ids and Level's time: the run fetches the object itself, so a burst
// of updates costs one fetch and nothing from a body is trusted beyond naming the object.
import { defineSignal } from '@temporalio/workflow';
import type { SignalDelivery } from './alerts';
import { workflowId } from './workflow-ids';
import { DEVICE_EVENTS_WORKFLOW, GROUP_EVENTS_WORKFLOW } from './workflows';

export type LevelObjectKind = 'device' | 'group';

/** Signal `levelChange`: Level said the object was created or changed (`upsert`), or deleted. */
export interface LevelChangeEvent {
  /** `native:<Level's event_id>`, stable across Level's retries. */
  eventId: string;
  action: 'upsert' | 'delete';
  /** Level's time (ISO-8601): events older than the newest applied one are stale. */
  occurredAt: string;
}

export interface LevelObjectRunInput {
  tenantId: string;
  integrationId: string;
  levelId: string;
  /** Carried over by continueAsNew. */
  lastEventAt?: number | null;
}

export const levelChangeSignal = defineSignal<[LevelChangeEvent]>('levelChange');
export const LEVEL_CHANGE_SIGNAL = levelChangeSignal.name;

/** Level ids may contain `/` and `+`: percent-encoded, as for the alert runs. */
export function levelObjectWorkflowId(tenantId: string, kind: LevelObjectKind, levelId: string): string {
  return workflowId(tenantId, kind, encodeURIComponent(levelId));
}

export function levelChangeDelivery(
  tenantId: string,
  integrationId: string,
  kind: LevelObjectKind,
  levelId: string,
  event: LevelChangeEvent,
): SignalDelivery {
  const input: LevelObjectRunInput = { tenantId, integrationId, levelId };
  return {
    tenantId,
    eventId: event.eventId,
    workflowId: levelObjectWorkflowId(tenantId, kind, levelId),
    workflowType: kind === 'device' ? DEVICE_EVENTS_WORKFLOW : GROUP_EVENTS_WORKFLOW,
    workflowArgs: [input],
    signalName: LEVEL_CHANGE_SIGNAL,
    signalArgs: [event],
    summary: kind === 'device' ? 'Level device changed' : 'Level group changed',
    operation: kind,
  };
}
