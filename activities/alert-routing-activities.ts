// Routing a triggered alert, the first half of the alert lifecycle's activities: load what the
// database knows about the alert, find its device's asset (from Level if need be), and decide —
// suppress (a maintenance window), hold (the rule's flap dampening), record, hand to its storm
// run, or open / append / reopen a ticket — in as few statements as the work allows. Each routing
// runs once per action id (db/alert-actions.ts), so Temporal's retries never duplicate a ticket.
import { Context } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { AlertSnapshot, CarriedAlertState } from '../contracts/alerts';
import type { StormArrival } from '../contracts/storm';
import { parkFailedAlert } from '../db/alert-failure-store';
import { alertName, alertRowOf } from '../db/alert-row';
import {
  findStoredAlert,
  loadRoutingContext,
  saveRoutedAlert,
  type RoutedAlert,
  type RoutingContext,
  type RoutingKey,
  type StoredAlert,
} from '../db/alert-routing-store';
import { isConnectionLost } from '../db/connection-lost';
import { stormKeyOf } from '../db/storm-store';
import { conditionKeyFor, openOrAppendTicketId } from '../db/ticket-store';
import { decideRoute, recurrenceTime, reopenNote, type DeviceContext } from '../domain/alert-routing';
import { countRouted, countRouting } from '../metrics/alert-metrics';
import { permanentOnBadData, type AlertRef } from './alert-data';
import type { ActivityDeps } from './deps';
import { ensureDeviceAsset } from './device-assets';

export interface RouteAlertInput extends AlertRef {
  snapshot: AlertSnapshot;
  /** The alert was resolved and fired again. */
  reopened: boolean;
  /** Its rule's hold ended with the alert still active: route it without holding it again. */
  afterHold?: boolean;
  actionId: string;
}

export type RouteOutcome =
  /** `reopened`: the condition's recently closed ticket was reopened (the rule's reopen window). */
  /** `ticketNumber` and `clientName` are for the run's words (absent in runs recorded before them). */
  | {
      outcome: 'ticketed';
      alertId: string;
      ticketId: string;
      ticketNumber?: number;
      clientName?: string;
      created: boolean;
      ruleId: string;
      reopened?: true;
      unmapped?: true;
    }
  | { outcome: 'recorded'; alertId: string; ruleId: string | null; unmapped?: true }
  | { outcome: 'suppressed'; alertId: string; windowId: string; suppressedUntil: string }
  /** Its rule holds it (flap dampening): no ticket until `heldUntil`, and none if it resolves before. */
  | { outcome: 'held'; alertId: string; ruleId: string; heldUntil: string; unmapped?: true }
  /**
   * Storm grouping is on: the alert is recorded without a ticket and the run sends `arrival` to its
   * key's storm run, which gives it its ticket (its own, or the storm's) without the run waiting.
   */
  | { outcome: 'grouping'; alertId: string; ruleId: string; arrival: StormArrival };

export interface RouteStoredAlertInput extends RouteAlertInput {
  /** The device as `lookUpAlertDevice` found it (null: it has no asset); absent: read the stored asset. */
  device?: DeviceContext | null;
}

/** Nothing was written: the device has no stored asset, so it must be looked up in Level first. */
export interface NeedsDevice {
  outcome: 'needsDevice';
}

/** What a fresh run needs to know: the alert's status and the time of its newest event. */
export type LoadedAlertState = Omit<CarriedAlertState, 'pending'>;

export interface ParkAlertInput extends AlertRef {
  snapshot: AlertSnapshot;
  reason: string;
}

/** After this many attempts a failing device lookup no longer holds routing back. */
const DEVICE_LOOKUP_ATTEMPTS = 3;

export function createAlertRoutingActivities(deps: ActivityDeps) {
  const fork = () => deps.orm.em.fork();

  /**
   * A triggered (or re-opened) alert: suppress, record, or open/append a ticket. One statement
   * reads what the decision needs, and the decision costs one write (a ticket: a short
   * transaction). Without `input.device` the stored asset is used; a device without one answers
   * `needsDevice` and nothing is written.
   */
  const route = async (input: RouteStoredAlertInput, loaded?: RoutingContext): Promise<RouteOutcome | NeedsDevice> => {
    const em = fork();
    // A second round follows only a concurrent duplicate of this activity: it returns that one's outcome.
    for (let round = 0; round < 2; round += 1) {
      const context = round === 0 && loaded ? loaded : await loadRoutingContext(em, routingKey(input));
      const prior = priorRouting(context);
      if (prior) return prior;
      const device = input.device !== undefined ? input.device : context.device;
      if (!device && input.device === undefined) return { outcome: 'needsDevice' };
      const outcome = await writeRoute(em, input, context, device);
      if (outcome) {
        // A hold is not an outcome yet: its end counts (a ticket, an occurrence, or dampened); a
        // grouping neither: its storm run counts what it does (storm, ticket or occurrence).
        if (outcome.outcome !== 'held' && outcome.outcome !== 'grouping') countRouted(outcome, device?.clientId);
        return outcome;
      }
    }
    throw new Error(`The routing of action ${input.actionId} was neither written nor found`);
  };

  return {
    /** Routing gave up for good (see permanentOnBadData): the alert is kept as `failed`, with why. */
    async parkAlert(input: ParkAlertInput): Promise<void> {
      const s = input.snapshot;
      await parkFailedAlert(fork(), {
        ...input,
        levelDeviceId: s.levelDeviceId,
        name: alertName(s),
        severity: s.severity,
        conditionKey: conditionKeyFor(s.levelDeviceId, alertName(s)),
      });
      countRouting('failed');
    },

    /** What a fresh run needs to know: the alert's status and the time of its newest event. */
    async loadAlertState({
      tenantId,
      levelAlertId,
    }: {
      tenantId: string;
      levelAlertId: string;
    }): Promise<LoadedAlertState> {
      return alertStateOf(await findStoredAlert(fork(), tenantId, levelAlertId));
    },

    /**
     * A fresh run whose first event is a trigger: the alert's state and, when the database has
     * never seen the alert, its routing, from one read (a new alert costs one local activity, not
     * two). `routed` is null when the alert is known: the run then applies the trigger as usual.
     */
    loadAlertStateAndRouteNew: permanentOnBadData(
      async (
        input: RouteStoredAlertInput,
      ): Promise<{ state: LoadedAlertState; routed: RouteOutcome | NeedsDevice | null }> => {
        const context = await loadRoutingContext(fork(), routingKey(input));
        // An outcome under this action id: an earlier attempt routed the alert, which was new then.
        const prior = priorRouting(context);
        if (prior) return { state: alertStateOf(null), routed: prior };
        if (context.alert) return { state: alertStateOf(context.alert), routed: null };
        return { state: alertStateOf(null), routed: await route(input, context) };
      },
    ),

    /**
     * A triggered (or re-opened) alert, routed from the database alone (the workflow runs this as a
     * local activity: no task round trip through the server). A device without a stored asset
     * answers `needsDevice` and writes nothing; the workflow then calls `lookUpAlertDevice`.
     */
    routeStoredAlert: permanentOnBadData(async (input: RouteStoredAlertInput): Promise<RouteOutcome | NeedsDevice> =>
      route(input),
    ),

    /** The device's asset, syncing that one device from Level when its group is mapped. */
    async lookUpAlertDevice(input: RouteAlertInput): Promise<DeviceContext | null> {
      return lookUpDevice(deps, input);
    },
  };
}

// --- helpers ---------------------------------------------------------------------------------

class AlreadyRouted extends Error {}

/**
 * Writes what routing decided, with the action's outcome; null when a concurrent duplicate of the
 * activity stored its outcome first (nothing of this one's is kept).
 */
async function writeRoute(
  em: EntityManager,
  input: RouteAlertInput,
  context: RoutingContext,
  device: DeviceContext | null,
): Promise<RouteOutcome | null> {
  const s = input.snapshot;
  const at = new Date();
  const decision = decideRoute({
    alert: s,
    device,
    rules: context.enabledRules,
    windows: context.enabledWindows,
    at,
    reopened: input.reopened,
    afterHold: input.afterHold === true,
  });
  const alert: RoutedAlert = alertRowOf(input, s, {
    // Routing is serialised per alert by its workflow, so the id read a moment ago is the row's id.
    id: context.alert?.id ?? randomUUID(),
    // No asset: no mapping covers the device, so the alert is kept apart (and ticketed only by an `unmapped` rule).
    status: device === null ? 'unmapped' : 'active',
    device,
  });
  const save = async (tx: EntityManager, row: RoutedAlert, outcome: RouteOutcome) =>
    (await saveRoutedAlert(tx, row, { id: input.actionId, outcome })) ? outcome : null;
  // The run shows an unmapped alert as such (its LevelAlertStatus), not as active.
  const unmappedFlag = alert.status === 'unmapped' ? { unmapped: true as const } : {};

  if (decision.action === 'suppress') {
    const outcome: RouteOutcome = {
      outcome: 'suppressed',
      alertId: alert.id,
      windowId: decision.windowId,
      suppressedUntil: decision.until.toISOString(),
    };
    return save(em, { ...alert, status: 'suppressed', suppressedByWindowId: decision.windowId }, outcome);
  }
  if (decision.action === 'record') {
    return save(
      em,
      { ...alert, matchedRuleId: decision.ruleId },
      { outcome: 'recorded', alertId: alert.id, ruleId: decision.ruleId, ...unmappedFlag },
    );
  }
  if (decision.action === 'hold') {
    const outcome: RouteOutcome = {
      outcome: 'held',
      alertId: alert.id,
      ruleId: decision.ruleId,
      heldUntil: decision.until.toISOString(),
      ...unmappedFlag,
    };
    return save(em, { ...alert, matchedRuleId: decision.ruleId }, outcome);
  }
  const { rule, ticket } = decision;
  const reopenWithinMinutes = rule.actions.reopenWithinMinutes ?? 0;
  // The window counts back from when the condition recurred at Level (not from a hold's end).
  const recurredAt = recurrenceTime(s.startedAt, at);
  if (context.storm && device) {
    // Storm grouping is on: the storm run of the alert's client (and condition) decides its ticket.
    const storm = context.storm;
    const arrival: StormArrival = {
      arrivalId: input.actionId,
      tenantId: input.tenantId,
      integrationId: input.integrationId,
      key: stormKeyOf(storm.groupBy, device.clientId, alert.name),
      alertId: alert.id,
      levelAlertId: input.levelAlertId,
      alertName: alert.name,
      threshold: storm.threshold,
      windowMinutes: storm.windowMinutes,
      groupBy: storm.groupBy,
      ticket: {
        ...ticket,
        ruleId: rule.id,
        levelDeviceId: s.levelDeviceId,
        conditionKey: alert.conditionKey,
        assetId: alert.assetId,
        ...(reopenWithinMinutes > 0 ? { reopenWithinMinutes } : {}),
        recurredAt: recurredAt.toISOString(),
      },
      snapshot: s,
    };
    return save(
      em,
      { ...alert, matchedRuleId: rule.id },
      { outcome: 'grouping', alertId: alert.id, ruleId: rule.id, arrival },
    );
  }
  const reopen =
    reopenWithinMinutes > 0
      ? {
          reopen: {
            withinMinutes: reopenWithinMinutes,
            recurredAt,
            note: (closedByPerson: boolean) => reopenNote(recurredAt, closedByPerson),
          },
        }
      : {};
  try {
    return await em.transactional(async (tx) => {
      const { ticketId, ticketNumber, created, reopened } = await openOrAppendTicketId(
        tx,
        {
          ...ticket,
          tenantId: input.tenantId,
          levelDeviceId: s.levelDeviceId,
          conditionKey: alert.conditionKey,
          alertId: alert.id,
          clientId: alert.clientId,
          assetId: alert.assetId,
          ruleId: rule.id,
          ...reopen,
        },
        { openTicketSeen: context.openTicketId !== null },
      );
      const client = device?.clientName ? { clientName: device.clientName } : {};
      const outcome: RouteOutcome = {
        outcome: 'ticketed',
        alertId: alert.id,
        ticketId,
        ticketNumber,
        ...client,
        created,
        ruleId: rule.id,
        ...(reopened ? { reopened } : {}),
        ...unmappedFlag,
      };
      const saved = await save(tx, { ...alert, matchedRuleId: rule.id, ticketId }, outcome);
      if (!saved) throw new AlreadyRouted(); // roll the ticket work back
      return saved;
    });
  } catch (err) {
    if (err instanceof AlreadyRouted) return null;
    throw err;
  }
}

const ROUTE_OUTCOMES: ReadonlySet<unknown> = new Set<RouteOutcome['outcome']>([
  'ticketed',
  'recorded',
  'suppressed',
  'held',
  'grouping',
]);

/**
 * The routing outcome stored under the action id, if the routing already ran. Anything else
 * stored there (an action id is drawn once per action, so only a run that changed its code midway
 * could do it) is not taken for a routing: saving under that id then fails loudly.
 */
function priorRouting(context: RoutingContext): RouteOutcome | null {
  const prior = context.priorOutcome as { outcome?: unknown } | null;
  return prior && ROUTE_OUTCOMES.has(prior.outcome) ? (prior as RouteOutcome) : null;
}

/**
 * The device's asset (syncing it if needed); a Level that keeps failing does not block routing.
 * The database being away does not count: routing without the asset would leave the alert
 * unmapped (no ticket) for good, so that is retried until the database answers again.
 */
async function lookUpDevice(deps: ActivityDeps, input: RouteAlertInput): Promise<DeviceContext | null> {
  try {
    return await ensureDeviceAsset(deps, deps.orm.em.fork(), {
      tenantId: input.tenantId,
      integrationId: input.integrationId,
      levelDeviceId: input.snapshot.levelDeviceId,
    });
  } catch (err) {
    if (isConnectionLost(err)) throw err;
    const attempt = Context.current().info.attempt;
    const permanent = (err as { nonRetryable?: boolean }).nonRetryable === true;
    if (!permanent && attempt < DEVICE_LOOKUP_ATTEMPTS) throw err;
    deps.logger.warn(
      { tenantId: input.tenantId, levelAlertId: input.levelAlertId, attempt, error: (err as Error).message },
      'device lookup failed: alert routed without its asset',
    );
    return null;
  }
}

/** The state a fresh run starts from: the stored alert's, or `unknown` for an alert never stored. */
export function alertStateOf(row: StoredAlert | null): LoadedAlertState {
  // A parked alert is routed afresh by its next trigger (parked again if the data is still refused).
  if (!row || row.status === 'failed')
    return {
      status: 'unknown',
      lastEventAt: null,
      snapshot: null,
      suppressedUntil: null,
      heldUntil: null,
      recentEventIds: [],
    };
  const resolved = row.status === 'resolved' || row.status === 'dampened';
  const at = resolved ? (row.resolvedAt ?? row.updatedAt) : row.startedAt;
  const raw = (row.raw ?? {}) as Partial<AlertSnapshot>;
  return {
    status: resolved ? 'resolved' : 'active',
    lastEventAt: at ? at.getTime() : null,
    snapshot: {
      levelAlertId: row.levelAlertId,
      levelDeviceId: row.levelDeviceId,
      name: row.name,
      description: row.description ?? null,
      severity: row.severity,
      startedAt: row.startedAt?.toISOString() ?? null,
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      hostname: typeof raw.hostname === 'string' ? raw.hostname : null,
      levelGroupId: typeof raw.levelGroupId === 'string' ? raw.levelGroupId : null,
    },
    // A suppressed alert is looked at again at once: routing re-checks the windows.
    suppressedUntil: row.status === 'suppressed' ? Date.now() : null,
    heldUntil: null,
    recentEventIds: [],
  };
}

function routingKey(input: RouteAlertInput): RoutingKey {
  const s = input.snapshot;
  return {
    tenantId: input.tenantId,
    levelAlertId: input.levelAlertId,
    levelDeviceId: s.levelDeviceId,
    conditionKey: conditionKeyFor(s.levelDeviceId, alertName(s)),
    actionId: input.actionId,
  };
}
