// Resolving, the second half of the alert lifecycle's activities: record a resolved alert and
// close its ticket (when its rule says so and nobody worked on it) or note it (see
// domain/alert-resolution.ts), and resolve the alert in Level when a person closes its ticket.
// Each runs once per action id (db/alert-actions.ts): a retry never writes a second note.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { AlertSnapshot } from '../contracts/alerts';
import { runOnce } from '../db/alert-actions';
import { alertRowOf } from '../db/alert-row';
import { AlertRuleSchema, AlertSchema, AssetSchema, TicketSchema, type Alert } from '../db/entities';
import { addNote, closeTicket } from '../db/ticket-store';
import { decideResolve, levelRefusalReason, levelRefusedNote, resolvedInLevelNote } from '../domain/alert-resolution';
import type { DeviceContext } from '../domain/alert-routing';
import { LevelApiError } from '../level/errors';
import { countRouting, countTicket } from '../metrics/alert-metrics';
import { permanentOnBadData, type AlertRef } from './alert-data';
import type { ActivityDeps } from './deps';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface ResolveAlertInput extends AlertRef {
  snapshot: AlertSnapshot | null;
  resolvedAt: string;
  actionId: string;
  /** It resolved while its rule held it: it ends `dampened`, and no ticket hears of it. */
  duringHold?: boolean;
}

export interface ResolveOutcome {
  alertId: string | null;
  ticketId: string | null;
  ticket: 'closed' | 'noted' | 'none';
  dampened?: true;
}

export interface TicketClosedInput extends AlertRef {
  ticketId: string;
  actionId: string;
}

export interface TicketClosedOutcome {
  resolvedInLevel: boolean;
  resolvedAt?: string;
  reason?: string;
}

/** What a committed resolve counts: a flap dampened, or a ticket closed automatically. */
function countResolve(outcome: ResolveOutcome): void {
  if (outcome.dampened) countRouting('dampened');
  if (outcome.ticket === 'closed') countTicket('auto_closed');
}

export function createAlertResolutionActivities(deps: ActivityDeps) {
  const fork = () => deps.orm.em.fork();

  return {
    /** A resolved alert: record it; close its ticket (rule says so, nobody touched it) or note it. */
    resolveAlertRecord: permanentOnBadData(async (input: ResolveAlertInput): Promise<ResolveOutcome> =>
      runOnce(
        fork(),
        input,
        async (tx) => {
          const resolvedAt = new Date(input.resolvedAt);
          // Locked: a storm run attaching this alert (db/storm-store.ts) is seen whole or not at all.
          let alert = await tx.findOne(
            AlertSchema,
            { tenantId: input.tenantId, levelAlertId: input.levelAlertId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          );
          if (!alert) {
            // Never seen active (a resolve before its trigger, or backfill of an old alert): record only.
            if (!input.snapshot) return { alertId: null, ticketId: null, ticket: 'none' };
            const asset = await tx.findOne(AssetSchema, {
              tenantId: input.tenantId,
              levelDeviceId: input.snapshot.levelDeviceId,
              archived: false,
            });
            const device = asset ? { assetId: asset.id, clientId: asset.clientId } : null;
            alert = createResolvedAlert(tx, { ...input, snapshot: input.snapshot }, device);
          }
          if (input.duringHold) {
            // A flap: it never reached a ticket (one it fired into before keeps its own story).
            Object.assign(alert, { status: 'dampened', resolvedAt, failureReason: null });
            await tx.flush();
            return { alertId: alert.id, ticketId: null, ticket: 'none', dampened: true };
          }
          Object.assign(alert, { status: 'resolved', resolvedAt, failureReason: null });
          await tx.flush();
          const ticketId = alert.ticketId ?? null;
          if (!ticketId) return { alertId: alert.id, ticketId: null, ticket: 'none' };
          // Locked before counting the ticket's other active alerts: of two last alerts resolving at
          // once (a storm's parent has many), the later sees the earlier committed and closes it.
          const ticket = await tx.findOne(TicketSchema, { id: ticketId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!ticket || ticket.status === 'closed') return { alertId: alert.id, ticketId, ticket: 'none' };
          const rule = alert.matchedRuleId ? await tx.findOne(AlertRuleSchema, { id: alert.matchedRuleId }) : null;
          const otherActiveAlerts = await tx.count(AlertSchema, {
            ticketId,
            id: { $ne: alert.id },
            status: { $in: ['active', 'suppressed', 'unmapped'] },
          });
          const decision = decideResolve({
            alertName: alert.name,
            resolvedAt,
            autoResolveTicket: rule?.actions.autoResolveTicket === true,
            otherActiveAlerts,
          });
          if (decision.action === 'closeIfUntouched') {
            const closed = await closeTicket(tx, ticketId, decision.closedNote, { onlyIfUntouched: true });
            if (closed.closed) return { alertId: alert.id, ticketId, ticket: 'closed' };
            await addNote(tx, ticketId, 'system', decision.keptOpenNote);
          } else {
            await addNote(tx, ticketId, 'system', decision.note);
          }
          return { alertId: alert.id, ticketId, ticket: 'noted' };
        },
        countResolve,
      ),
    ),

    /** A person closed the ticket: resolve the alert in Level when the ticket's rule says so. */
    async ticketClosedByPerson(input: TicketClosedInput): Promise<TicketClosedOutcome> {
      const em = fork();
      const alert = await em.findOne(AlertSchema, { tenantId: input.tenantId, levelAlertId: input.levelAlertId });
      if (!alert || alert.status === 'resolved' || alert.status === 'dampened')
        return { resolvedInLevel: false, reason: 'alert not active' };
      const ticket = await em.findOne(TicketSchema, { id: input.ticketId, tenantId: input.tenantId });
      // A close sent again (the relay's takeover) after the ticket reopened, or the alert moved to
      // a storm ticket, is stale: the ticket the person closed no longer stands for this alert.
      if (!ticket || ticket.status !== 'closed' || alert.ticketId !== ticket.id)
        return { resolvedInLevel: false, reason: 'ticket no longer closed' };
      const rule = ticket.ruleId ? await em.findOne(AlertRuleSchema, { id: ticket.ruleId }) : null;
      if (!rule?.actions.resolveAlertOnTicketClose)
        return { resolvedInLevel: false, reason: 'rule does not resolve alerts' };

      let failure: string | null = null;
      try {
        const { client } = await openBudgetedLevelClient(deps, em, input.integrationId, { maxRetries: 1 });
        await client.resolveAlert(input.levelAlertId);
      } catch (err) {
        if (!(err instanceof LevelApiError) || err.retryable) throw toActivityFailure(err);
        failure = levelRefusalReason(err);
      }
      return runOnce(em, input, async (tx) => {
        if (failure !== null) {
          await addNote(tx, input.ticketId, 'system', levelRefusedNote(alert.name, failure));
          return { resolvedInLevel: false, reason: failure };
        }
        const now = new Date();
        await tx.nativeUpdate(AlertSchema, { id: alert.id }, { status: 'resolved', resolvedAt: now, updatedAt: now });
        await addNote(tx, input.ticketId, 'system', resolvedInLevelNote(alert.name));
        return { resolvedInLevel: true, resolvedAt: now.toISOString() };
      });
    },
  };
}

/** A row for an alert first seen resolved, in the unit of work (the caller flushes). */
function createResolvedAlert(
  tx: EntityManager,
  input: { tenantId: string; integrationId: string; levelAlertId: string; snapshot: AlertSnapshot },
  device: Pick<DeviceContext, 'assetId' | 'clientId'> | null,
): Alert {
  const now = new Date();
  return tx.create(AlertSchema, {
    ...alertRowOf(input, input.snapshot, { id: randomUUID(), status: 'resolved', device }),
    createdAt: now,
    updatedAt: now,
  });
}
