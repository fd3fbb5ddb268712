// Backfill: page through Level's alerts and feed each one into its alert lifecycle run with
// signalWithStart (the activity's own Temporal client), exactly like a webhook would. The runs
// decide what is new; this activity only counts, for the result, what the database knew before.
import { Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { AlertSchema } from '../db/entities';
import { isSeverity } from '../domain/priority';
import type { LevelAlert } from '../level/schemas';
import { alertEventDelivery, type AlertEvent, type BackfillAlertsResult } from '../contracts/alerts';
import { deliverSignal } from '../temporal/signal-delivery';
import type { ActivityDeps } from './deps';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface BackfillPageInput {
  tenantId: string;
  integrationId: string;
  status: 'active' | 'resolved';
  /** Only this device's alerts (a webhook nudge). */
  levelDeviceId?: string;
  startingAfter?: string;
  /** Resolved alerts resolved before this instant (ISO) are replayed only if still open here. */
  resolvedSince: string;
}

export interface BackfillPageResult extends BackfillAlertsResult {
  nextCursor: string | null;
  hasMore: boolean;
}

/** Signals sent at once per page. */
const SIGNAL_CONCURRENCY = 10;

export function createBackfillActivities(deps: ActivityDeps) {
  return {
    async backfillAlertsPage(input: BackfillPageInput): Promise<BackfillPageResult> {
      const em = deps.orm.em.fork();
      const { client } = await openBudgetedLevelClient(deps, em, input.integrationId, { maxRetries: 2 });
      let page;
      try {
        page = await client.listAlertsPage({
          status: input.status,
          limit: 100,
          ...(input.levelDeviceId ? { deviceId: input.levelDeviceId } : {}),
          ...(input.startingAfter ? { startingAfter: input.startingAfter } : {}),
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
      const observedAt = new Date().toISOString();
      const ids = page.data.map((alert) => alert.id);
      const known = new Map(
        (ids.length > 0
          ? await em.find(
              AlertSchema,
              { tenantId: input.tenantId, levelAlertId: { $in: ids } },
              { fields: ['levelAlertId', 'status', 'name', 'severity', 'description'] },
            )
          : []
        ).map((row) => [row.levelAlertId, row]),
      );
      const counts: BackfillAlertsResult = { fetched: page.data.length, new: 0, updated: 0, resolved: 0 };
      const events: AlertEvent[] = [];
      for (const alert of page.data) {
        const row = known.get(alert.id);
        const resolved = alert.is_resolved === true;
        if (!alert.device_id) continue; // cannot be routed or deduplicated without its device
        if (!row) {
          if (resolved && (alert.resolved_at ?? observedAt) < input.resolvedSince) continue; // old history: not replayed
          counts.new += 1;
        } else if (resolved) {
          if (row.status === 'resolved' || row.status === 'dampened') continue; // dampened: resolved during its rule's hold
          counts.resolved += 1;
        } else if (
          row.status === 'resolved' ||
          row.status === 'dampened' ||
          row.name !== alert.name ||
          row.severity !== alert.severity ||
          (row.description ?? null) !== (alert.description ?? null)
        ) {
          counts.updated += 1;
        }
        events.push(observedEvent(alert, observedAt));
      }
      const { client: temporal, info } = Context.current();
      for (let i = 0; i < events.length; i += SIGNAL_CONCURRENCY) {
        await Promise.all(
          events
            .slice(i, i + SIGNAL_CONCURRENCY)
            .map((event) =>
              deliverSignal(temporal, info.taskQueue, alertEventDelivery(input.tenantId, input.integrationId, event)),
            ),
        );
        Context.current().heartbeat();
      }
      return { ...counts, nextCursor: page.nextCursor ?? null, hasMore: page.hasMore };
    },
  };
}

/**
 * What backfill saw, as an event at the moment it looked: a re-open or a resolve that the
 * webhook missed is newer than anything the run applied, while a webhook event that happened
 * after the look wins over it. The id is stable for an unchanged alert, so repeated backfills
 * are recognised as redeliveries.
 */
export function observedEvent(alert: LevelAlert, observedAt: string): AlertEvent {
  const resolved = alert.is_resolved === true;
  const kind = resolved ? 'resolved' : 'triggered';
  const eventId = `backfill:${createHash('sha256')
    .update([alert.id, kind, alert.started_at ?? '', alert.resolved_at ?? ''].join('\u0000'))
    .digest('base64url')
    .slice(0, 32)}`;
  return {
    eventId,
    kind,
    occurredAt: observedAt,
    source: 'backfill',
    alert: {
      levelAlertId: alert.id,
      levelDeviceId: alert.device_id ?? '',
      name: alert.name ?? '',
      description: alert.description ?? null,
      severity: isSeverity(alert.severity) ? alert.severity : 'warning',
      startedAt: alert.started_at ?? null,
      resolvedAt: resolved ? (alert.resolved_at ?? observedAt) : null,
      hostname: typeof alert.device_hostname === 'string' ? alert.device_hostname : null,
      levelGroupId: null,
    },
  };
}
