// The shapes the console reads, as the HTTP contract (shared/spec/api.md) defines them.
export type IntegrationStatus = 'not_configured' | 'configured' | 'connected' | 'error' | 'disconnected';

export interface Integration {
  id: string;
  status: IntegrationStatus;
  baseUrl?: string;
  apiKeyHint: string | null;
  connectedAt: string | null;
  lastTestedAt: string | null;
  /** The last failed test's error ({code, message}; a plain string from older servers). */
  lastError: string | { code?: string; message: string } | null;
  lastSyncAt?: string | null;
  summary: { mappedGroups: number; devices: number; activeAlerts: number };
}

export interface Client {
  id: string;
  name: string;
  createdAt: string;
}

export interface Group {
  levelGroupId: string;
  name: string;
  parentId: string | null;
  path: string;
  depth?: number;
  deviceCount: number;
  descendantDeviceCount?: number;
  removed: boolean;
  mappedClientId: string | null;
  effectiveClientId: string | null;
  inheritedFromGroupId: string | null;
}

export interface Asset {
  id: string;
  clientId: string;
  levelDeviceId: string;
  name: string;
  hostname: string | null;
  assetType: 'workstation' | 'server';
  platform: string | null;
  osName: string | null;
  online: boolean;
  lastSeenAt: string | null;
  levelGroupId: string | null;
  archived: boolean;
}

export interface WebhookCard {
  url: string;
  header: { name: string; value: string | null };
  payloadTemplate: Record<string, unknown>;
  signingSecretConfigured: boolean;
  /** From servers that count deliveries (absent on older ones). */
  deliveryStats?: {
    lastReceivedAt: string | null;
    unauthenticatedAttempts: number;
    unauthenticatedSince: string | null;
  };
}

export interface TestAlertAnswer {
  alertId: string | null;
  ticketId: string | null;
  status: string;
}

export const SEVERITIES = ['emergency', 'critical', 'warning', 'information'] as const;
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;

export interface RuleConditions {
  severities?: string[];
  clientIds?: string[];
  levelGroupIds?: string[];
  deviceRoles?: string[];
  keywords?: string[];
  pattern?: string;
  /** Only alerts of devices no mapping covers (they meet no other rule). */
  unmapped?: boolean | null;
}

export interface RuleActions {
  createTicket: boolean;
  priority?: string | null;
  assignee?: string | null;
  titleTemplate?: string | null;
  descriptionTemplate?: string | null;
  autoResolveTicket: boolean;
  resolveAlertOnTicketClose: boolean;
  /** Noise control: open the ticket only if the alert is still active this many minutes after it started (0–60; absent: 0). */
  holdMinutes?: number | null;
  /** Noise control: a recurrence within this many minutes after its ticket closed reopens that ticket (0–10080; absent: 0). */
  reopenWithinMinutes?: number | null;
}

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface Recurrence {
  days: number[];
  startTime: string;
  endTime: string;
  timezone: string;
}

export interface MaintenanceWindow {
  id: string;
  name: string;
  enabled: boolean;
  scope: { clientId?: string; assetId?: string };
  startsAt: string | null;
  endsAt: string | null;
  recurrence: Recurrence | null;
}

export const TICKET_STATUSES = ['open', 'in_progress', 'closed'] as const;

export interface TicketNote {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

export interface Ticket {
  id: string;
  number: number;
  title: string;
  description: string;
  priority: string;
  status: (typeof TICKET_STATUSES)[number];
  clientId: string | null;
  assetId: string | null;
  alertIds: string[];
  occurrences: number;
  createdAt: string;
  closedAt: string | null;
  notes?: TicketNote[];
  /** `storm`: the one ticket of an alert storm (storm grouping); absent from older servers. */
  kind?: 'alert' | 'storm';
  /** The storm ticket this ticket was grouped into; null unless linked. */
  parentTicketId?: string | null;
  /** On a storm ticket: its alerts (each alert's ticketId is the storm ticket). */
  childAlertIds?: string[];
}

export const ALERT_STATUSES = ['active', 'resolved', 'suppressed', 'dampened', 'unmapped', 'failed'] as const;

export interface Alert {
  id: string;
  levelAlertId: string;
  levelDeviceId: string;
  clientId: string | null;
  name: string;
  description: string | null;
  severity: string;
  status: string;
  startedAt: string | null;
  resolvedAt: string | null;
  ticketId: string | null;
  assetId?: string | null;
  /** Why routing gave up (status `failed`). */
  failureReason?: string | null;
}

export const STORM_GROUP_BY = ['client', 'client_condition'] as const;

/** GET|PUT /api/v1/alert-settings: storm grouping (off by default). */
export interface AlertSettings {
  storm: { enabled: boolean; threshold: number; windowMinutes: number; groupBy: (typeof STORM_GROUP_BY)[number] };
}

/** GET|PUT …/integrations/level/sync-schedule. */
export interface SyncSchedule {
  enabled: boolean;
  intervalMinutes: number;
  nextRunAt: string | null;
  /** Why a paused schedule is paused (e.g. the integration was disconnected). */
  note: string | null;
}

export interface SyncCounts {
  created: number;
  updated: number;
  moved: number;
  relinked?: number;
  archived: number;
  skipped: number;
  failed: number;
}

/** One row of GET …/integrations/level/sync-runs, newest first. */
export interface SyncRun {
  id: string;
  workflowId: string;
  /** The run the sync started as; null or absent (older rows and servers): the link opens the latest run. */
  runId?: string | null;
  trigger: 'manual' | 'schedule' | 'webhook';
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** The counts; null until the run completed. */
  result: SyncCounts | null;
  processed?: number;
  expected?: number;
}
