// What a run started by a signalWithStart shows in the Temporal UI: a summary in words, static
// details with the inputs that matter, and search attributes. Derived from the delivery itself
// (its signal carries the alert), so a run the inbox relay starts later reads the same.
import type { AlertEvent, DeviceReconcileInput, SignalDelivery } from '../contracts/alerts';
import { ALERT_EVENT_SIGNAL } from '../contracts/alerts';
import { ALERT_LIFECYCLE_WORKFLOW, DEVICE_RECONCILE_WORKFLOW } from '../contracts/workflows';
import { ALERT_STATUS_ATTRIBUTE, DEVICE_ATTRIBUTE, runSearchAttributes } from '../contracts/search-attributes';

export function deliveryRunMetadata(delivery: SignalDelivery) {
  const base = runSearchAttributes(delivery.tenantId, delivery.operation);
  if (delivery.workflowType === DEVICE_RECONCILE_WORKFLOW) return deviceReconcileMetadata(delivery, base);
  const event = alertEventOf(delivery);
  if (!event) return { typedSearchAttributes: base, staticSummary: delivery.summary };
  const a = event.alert;
  return {
    typedSearchAttributes: [
      ...base,
      { key: DEVICE_ATTRIBUTE, value: a.levelDeviceId },
      { key: ALERT_STATUS_ATTRIBUTE, value: event.kind === 'triggered' ? 'active' : 'resolved' },
    ],
    staticSummary: alertRunSummary(event),
    staticDetails: [
      `**Level alert** ${a.levelAlertId}`,
      `**Device** ${a.hostname ?? '(no hostname)'} · ${a.levelDeviceId}${a.levelGroupId ? ` · group ${a.levelGroupId}` : ''}`,
      `**Started by** a ${event.kind} event (${event.source}) at ${event.occurredAt}`,
      `**Tenant** ${delivery.tenantId}`,
    ].join('\n'),
  };
}

/** A webhook named a device but no alert: the run replays that device's alerts from Level. */
function deviceReconcileMetadata(delivery: SignalDelivery, base: ReturnType<typeof runSearchAttributes>) {
  const input = delivery.workflowArgs[0] as DeviceReconcileInput | undefined;
  if (!input?.levelDeviceId) return { typedSearchAttributes: base, staticSummary: delivery.summary };
  return {
    typedSearchAttributes: [...base, { key: DEVICE_ATTRIBUTE, value: input.levelDeviceId }],
    staticSummary: `Alert reconcile — device ${truncate(input.levelDeviceId, 80)}`,
    staticDetails: [
      `**Device** ${input.levelDeviceId}`,
      `**Why** a webhook named this device but no alert it could route`,
      `**Tenant** ${delivery.tenantId}`,
    ].join('\n'),
  };
}

/** "Disk space low on ACME-SRV-1 — critical": the alert as an operator would say it. */
export function alertRunSummary(event: AlertEvent): string {
  const a = event.alert;
  return `${truncate(a.name, 80)} on ${truncate(a.hostname ?? a.levelDeviceId, 60)} — ${a.severity}`;
}

function alertEventOf(delivery: SignalDelivery): AlertEvent | null {
  if (delivery.workflowType !== ALERT_LIFECYCLE_WORKFLOW || delivery.signalName !== ALERT_EVENT_SIGNAL) return null;
  const event = delivery.signalArgs[0] as AlertEvent | undefined;
  return event?.alert ? event : null;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
