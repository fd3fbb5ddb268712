// The columns an alert's row gets from what Level said about the alert, written in one place for
// both paths that create one: routing a trigger (activities/alert-routing-activities.ts, written
// by db/alert-routing-store.ts's one statement) and recording an alert first seen resolved
// (activities/alert-resolution-activities.ts, through the unit of work). Pure, no I/O: it lives in
// db/ beside the row it describes, and because the condition key is db/ticket-store.ts's.
import type { AlertSnapshot } from '../contracts/alerts';
import type { DeviceContext } from '../domain/alert-routing';
import type { Alert } from './entities';
import { conditionKeyFor } from './ticket-store';

/** The alert's row as it is written from a snapshot: every column but `failureReason`, `createdAt` and `updatedAt`. */
export interface AlertRow<S extends Alert['status'] = Alert['status']> {
  id: string;
  tenantId: string;
  integrationId: string;
  levelAlertId: string;
  levelDeviceId: string;
  name: string;
  description: string | null;
  severity: Alert['severity'];
  status: S;
  startedAt: Date | null;
  resolvedAt: Date | null;
  conditionKey: string;
  /** The snapshot as received (what a fresh run reads back, see `loadAlertState`). */
  raw: Record<string, unknown>;
  assetId: string | null;
  clientId: string | null;
  ticketId: string | null;
  matchedRuleId: string | null;
  suppressedByWindowId: string | null;
}

/** The alert's name as stored (Level may send none). */
export function alertName(snapshot: AlertSnapshot): string {
  return snapshot.name || 'Level alert';
}

/**
 * The row of the alert `snapshot` describes, with the given id and status, on the device's asset
 * and client (none: null). What routing decides later (its ticket, the rule it matched, the window
 * that suppressed it) starts null: the caller sets it on the row it writes.
 */
export function alertRowOf<S extends Alert['status']>(
  ref: { tenantId: string; integrationId: string; levelAlertId: string },
  snapshot: AlertSnapshot,
  row: { id: string; status: S; device: Pick<DeviceContext, 'assetId' | 'clientId'> | null },
): AlertRow<S> {
  const s = snapshot;
  return {
    id: row.id,
    tenantId: ref.tenantId,
    integrationId: ref.integrationId,
    levelAlertId: ref.levelAlertId,
    levelDeviceId: s.levelDeviceId,
    name: alertName(s),
    // The run's snapshot omits fields no event carried.
    description: s.description ?? null,
    severity: s.severity,
    status: row.status,
    startedAt: s.startedAt ? new Date(s.startedAt) : null,
    // Only a resolved row says when it resolved: routing writes an open alert.
    resolvedAt: row.status === 'resolved' && s.resolvedAt ? new Date(s.resolvedAt) : null,
    conditionKey: conditionKeyFor(s.levelDeviceId, alertName(s)),
    raw: { ...s },
    assetId: row.device?.assetId ?? null,
    clientId: row.device?.clientId ?? null,
    ticketId: null,
    matchedRuleId: null,
    suppressedByWindowId: null,
  };
}
