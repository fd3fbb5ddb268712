// Response schemas for the OpenAPI document: what the view functions of api/routes/* answer
// (ruleView, alertView, assetView, ticketView, …), the list envelope of api/pagination.ts and the
// run answers of api/workflow-runs.ts. Field names are the contract (../shared/spec/api.md).
// Request schemas stay beside the routes that validate them; the error shape is in api/openapi.ts.
import { z } from 'zod';
import {
  ALERT_STATUSES,
  DELIVERY_OUTCOMES,
  DELIVERY_SOURCES,
  INTEGRATION_STATUSES,
  NOTE_AUTHORS,
  STORM_GROUP_BY,
  SYNC_RUN_STATUSES,
  SYNC_TRIGGERS,
  TICKET_KINDS,
  TICKET_STATUSES,
} from '../db/entities';
import { PRIORITIES, SEVERITIES } from '../domain/priority';
import './openapi';

const timestamp = z.iso.datetime({ offset: true });
const nullableTimestamp = timestamp.nullable();

/** `{items, nextCursor}`: one page of a list (api/pagination.ts). */
export function pageOfSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as ?cursor= for the next page; null on the last page' }),
  });
}

export const clientResponse = z.object({ id: z.uuid(), name: z.string(), createdAt: timestamp }).openapi('Client');

export const assetResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    levelDeviceId: z.string(),
    name: z.string(),
    hostname: z.string().nullable(),
    assetType: z.string(),
    platform: z.string().nullable(),
    osName: z.string().nullable(),
    online: z.boolean(),
    lastSeenAt: nullableTimestamp,
    lastRebootAt: nullableTimestamp,
    serialNumber: z.string().nullable(),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    cpu: z.unknown().nullable(),
    memoryBytes: z.number().nullable(),
    disks: z.unknown().nullable(),
    ipAddresses: z.array(z.string()),
    levelGroupId: z.string().nullable(),
    tags: z.array(z.string()),
    maintenanceMode: z.boolean(),
    archived: z.boolean(),
    archivedAt: nullableTimestamp,
    syncedAt: timestamp,
  })
  .openapi('Asset');

export const integrationResponse = z
  .object({
    id: z.uuid(),
    status: z.enum(INTEGRATION_STATUSES),
    baseUrl: z.string(),
    apiKeyHint: z.string().nullish(),
    connectedAt: nullableTimestamp,
    lastTestedAt: nullableTimestamp,
    lastError: z
      .object({ code: z.string(), message: z.string() })
      .nullish()
      .openapi({ description: 'Why the last test or run failed' }),
    summary: z.object({ mappedGroups: z.number().int(), devices: z.number().int(), activeAlerts: z.number().int() }),
    lastSyncAt: nullableTimestamp,
  })
  .openapi('Integration');

export const groupResponse = z
  .object({
    levelGroupId: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    path: z.string(),
    depth: z.number().int(),
    deviceCount: z.number().int(),
    descendantDeviceCount: z.number().int(),
    removed: z.boolean(),
    mappedClientId: z.uuid().nullable(),
    effectiveClientId: z.uuid().nullable(),
    inheritedFromGroupId: z.string().nullable(),
  })
  .openapi('Group');

const syncCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  moved: z.number().int(),
  relinked: z.number().int().openapi({
    description: 'Existing assets matched by serial number (and hostname) and relinked to a re-enrolled device',
  }),
  archived: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  levelRequests: z.number().int(),
});

export const syncRunResponse = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    runId: z
      .string()
      .nullable()
      .openapi({ description: 'The Temporal run the sync started as (it may continue as new); null on older rows' }),
    trigger: z.enum(SYNC_TRIGGERS),
    status: z.enum(SYNC_RUN_STATUSES),
    startedAt: timestamp,
    finishedAt: nullableTimestamp,
    result: syncCounts.nullable().openapi({ description: 'The counts; null until the run completed' }),
    processed: z.number().int(),
    expected: z.number().int(),
  })
  .openapi('SyncRun');

export const syncScheduleResponse = z
  .object({
    enabled: z.boolean(),
    intervalMinutes: z.number().int(),
    nextRunAt: nullableTimestamp,
    note: z.string().nullable(),
  })
  .openapi('SyncSchedule');

export const reconcileScheduleResponse = z
  .object({ enabled: z.boolean(), intervalMinutes: z.number().int().nullable(), scheduleId: z.string() })
  .openapi('ReconcileSchedule');

const ruleConditions = z.object({
  severities: z.array(z.enum(SEVERITIES)).optional(),
  clientIds: z.array(z.string()).optional(),
  levelGroupIds: z.array(z.string()).optional(),
  deviceRoles: z.array(z.string()).optional(),
  keywords: z.array(z.string()).optional(),
  pattern: z.string().optional(),
  unmapped: z.boolean().optional(),
});

const ruleActions = z.object({
  createTicket: z.boolean(),
  priority: z.enum(PRIORITIES).optional(),
  assignee: z.string().optional(),
  titleTemplate: z.string().optional(),
  descriptionTemplate: z.string().optional(),
  autoResolveTicket: z.boolean(),
  resolveAlertOnTicketClose: z.boolean(),
  /** Absent: 0 (no hold). */
  holdMinutes: z.number().int().optional(),
  /** Absent: 0 (a recurrence after its ticket closed opens a new one). */
  reopenWithinMinutes: z.number().int().optional(),
});

export const ruleResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    enabled: z.boolean(),
    position: z.number().int(),
    conditions: ruleConditions,
    actions: ruleActions,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('AlertRule');

export const windowResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    enabled: z.boolean(),
    scope: z.object({ clientId: z.uuid().optional(), assetId: z.uuid().optional() }),
    startsAt: nullableTimestamp,
    endsAt: nullableTimestamp,
    recurrence: z
      .object({ days: z.array(z.number().int()), startTime: z.string(), endTime: z.string(), timezone: z.string() })
      .nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('MaintenanceWindow');

export const noteResponse = z
  .object({ id: z.string(), author: z.enum(NOTE_AUTHORS), body: z.string(), createdAt: timestamp })
  .openapi('TicketNote');

export const ticketResponse = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    priority: z.enum(PRIORITIES),
    status: z.enum(TICKET_STATUSES),
    clientId: z.uuid().nullable(),
    assetId: z.uuid().nullable(),
    levelDeviceId: z.string(),
    alertIds: z.array(z.string()),
    occurrences: z.number().int(),
    assignee: z.string().nullable(),
    ruleId: z.uuid().nullable(),
    touchedByHuman: z.boolean(),
    kind: z.enum(TICKET_KINDS).openapi({ description: 'storm: the parent ticket of an alert storm (storm grouping)' }),
    parentTicketId: z
      .uuid()
      .nullable()
      .openapi({ description: 'The storm parent this ticket was grouped into; null unless linked' }),
    childAlertIds: z
      .array(z.string())
      .optional()
      .openapi({ description: "On a storm parent: the alerts of the storm (each alert's ticketId is this ticket)" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    closedAt: nullableTimestamp,
    notes: z.array(noteResponse).optional().openapi({ description: 'On a single ticket, oldest first' }),
  })
  .openapi('Ticket');

export const alertSettingsResponse = z
  .object({
    storm: z.object({
      enabled: z.boolean(),
      threshold: z.number().int().openapi({
        description:
          'Alerts of one client (or client and condition) within the window that open a storm ticket: 2..1000',
      }),
      windowMinutes: z.number().int().openapi({ description: '1..120' }),
      groupBy: z.enum(STORM_GROUP_BY),
    }),
  })
  .openapi('AlertSettings');

export const alertResponse = z
  .object({
    id: z.uuid(),
    levelAlertId: z.string(),
    levelDeviceId: z.string(),
    assetId: z.uuid().nullable(),
    clientId: z.uuid().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    startedAt: nullableTimestamp,
    resolvedAt: nullableTimestamp,
    ticketId: z.uuid().nullable(),
    matchedRuleId: z.uuid().nullable(),
    suppressedByWindowId: z.uuid().nullable(),
    failureReason: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Alert');

export const webhookCardResponse = z
  .object({
    url: z.string(),
    header: z.object({
      name: z.string(),
      value: z.string().nullable().openapi({ description: 'Masked unless revealed' }),
    }),
    revealed: z.boolean(),
    payloadTemplate: z.record(z.string(), z.string()),
    signingSecretConfigured: z.boolean(),
    nativeWebhook: z.object({ url: z.string(), signatureHeader: z.string(), events: z.array(z.string()) }),
    setupSteps: z.object({ native: z.array(z.string()).readonly(), automation: z.array(z.string()).readonly() }),
    instructions: z.string(),
    deliveryStats: z
      .object({
        lastReceivedAt: nullableTimestamp,
        unauthenticatedAttempts: z.number().int(),
        unauthenticatedSince: nullableTimestamp,
      })
      .optional()
      .openapi({ description: 'On GET only' }),
  })
  .openapi('WebhookCard');

export const webhookTestResponse = z
  .object({
    accepted: z.literal(true),
    eventId: z.string(),
    recordedIn: z.string(),
    levelAlertId: z.string(),
    alertId: z.uuid().nullable(),
    ticketId: z.uuid().nullable(),
    status: z.string().openapi({ description: "The alert's status, or pending when not routed within the wait" }),
    matchedRuleId: z.uuid().nullable(),
  })
  .openapi('WebhookTestResult');

export const deliveryResponse = z
  .object({
    id: z.string(),
    receivedAt: timestamp,
    source: z.enum(DELIVERY_SOURCES),
    eventType: z.string().nullable(),
    eventId: z.string().nullable(),
    outcome: z.enum([...DELIVERY_OUTCOMES, 'parked']),
    httpStatus: z.number().int(),
    recordedIn: z.string().optional(),
    levelAlertId: z.string().optional(),
    levelDeviceId: z.string().optional(),
    workflowId: z.string().optional(),
    error: z.string().optional(),
    inboxId: z.string().optional().openapi({ description: 'For a parked delivery: the inbox row to redrive' }),
  })
  .openapi('WebhookDelivery');

export const redriveResponse = z.object({ id: z.string(), status: z.literal('pending') });

export const webhookAcceptedResponse = z
  .object({
    accepted: z.literal(true),
    eventId: z.string(),
    ignored: z.literal(true).optional().openapi({ description: 'A native event type the service does not use' }),
    reconcileDevice: z
      .literal(true)
      .optional()
      .openapi({ description: 'A device nudge: its alerts are read from Level' }),
    syncObject: z.literal(true).optional().openapi({ description: 'A device or group event' }),
  })
  .openapi('WebhookAccepted');

/** A started run (202), or with ?wait=true its outcome within the bound, or the run already in progress (200). */
export const runStartResponse = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    alreadyRunning: z.literal(true).optional(),
    result: z.unknown().optional().openapi({ description: 'When completed (wait=true)' }),
    failure: z
      .object({ message: z.string(), type: z.string().optional() })
      .optional()
      .openapi({ description: 'When failed (wait=true)' }),
  })
  .openapi('RunStart');

export const runResponse = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.enum(['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out']),
    startedAt: timestamp,
    closedAt: nullableTimestamp,
    result: z.unknown().nullable(),
    failure: z.object({ message: z.string(), type: z.string().optional() }).nullable(),
    progress: z.unknown().nullable(),
  })
  .openapi('Run');

export const healthResponse = z.object({ status: z.literal('ok') });

export const readinessResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.enum(['ok', 'down']), temporal: z.enum(['ok', 'down']) }),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.object({ down: z.array(z.string()) }) })
    .optional(),
});
