// Parking an alert whose routing failed for good: its row says `failed` and why, so the alert
// shows in GET /api/v1/alerts instead of being retried forever out of sight. The row is written
// from cleaned values (the values that failed are often the reason), and a row that exists keeps
// everything but its status and reason.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { isSeverity } from '../domain/priority';
import { storable } from '../domain/storable-text';

export interface FailedAlert {
  tenantId: string;
  integrationId: string;
  levelAlertId: string;
  levelDeviceId: string;
  name: string;
  severity: string;
  conditionKey: string;
  reason: string;
}

const MAX_REASON_CHARS = 2000;

export async function parkFailedAlert(em: EntityManager, alert: FailedAlert): Promise<void> {
  await em.execute(
    `insert into "alerts" ("id", "tenant_id", "integration_id", "level_alert_id", "level_device_id", "name", "severity", "status", "condition_key", "failure_reason", "created_at", "updated_at")
     values (?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?, now(), now())
     on conflict ("tenant_id", "level_alert_id") do update set "status" = 'failed', "failure_reason" = excluded."failure_reason", "updated_at" = now()`,
    [
      randomUUID(),
      alert.tenantId,
      alert.integrationId,
      storable(alert.levelAlertId),
      storable(alert.levelDeviceId),
      storable(alert.name) || 'Level alert',
      isSeverity(alert.severity) ? alert.severity : 'information',
      storable(alert.conditionKey),
      storable(alert.reason).slice(0, MAX_REASON_CHARS),
    ],
  );
}
