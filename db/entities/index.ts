// Every entity schema the ORM knows; the ORM config and the migration generator read this list.
import { AdminTokenSchema } from './admin-token';
import { AlertSchema } from './alert';
import { AlertSettingsSchema } from './alert-settings';
import { AlertRuleSchema } from './alert-rule';
import { AssetSchema } from './asset';
import { ClientSchema } from './client';
import { DeviceHealthReadingSchema } from './device-health-reading';
import { LevelGroupSchema } from './level-group';
import { LevelIntegrationSchema } from './level-integration';
import { LevelRequestBudgetSchema } from './level-request-budget';
import { MaintenanceWindowSchema } from './maintenance-window';
import { SyncRunSchema } from './sync-run';
import { TenantSchema } from './tenant';
import { TicketSchema } from './ticket';
import { TicketCounterSchema } from './ticket-counter';
import { TicketNoteSchema } from './ticket-note';
import { WebhookDeliverySchema, WebhookDeliveryStatsSchema } from './webhook-delivery';
import { AlertActionSchema, WebhookInboxSchema } from './webhook-inbox';

export const entities = [
  TenantSchema,
  AdminTokenSchema,
  ClientSchema,
  LevelIntegrationSchema,
  LevelGroupSchema,
  AssetSchema,
  SyncRunSchema,
  LevelRequestBudgetSchema,
  AlertRuleSchema,
  MaintenanceWindowSchema,
  TicketCounterSchema,
  TicketSchema,
  TicketNoteSchema,
  AlertSchema,
  WebhookInboxSchema,
  AlertActionSchema,
  WebhookDeliverySchema,
  WebhookDeliveryStatsSchema,
  DeviceHealthReadingSchema,
  AlertSettingsSchema,
];

export * from './admin-token';
export * from './alert';
export * from './alert-settings';
export * from './alert-rule';
export * from './asset';
export * from './client';
export * from './device-health-reading';
export * from './level-group';
export * from './level-integration';
export * from './level-request-budget';
export * from './maintenance-window';
export * from './sync-run';
export * from './tenant';
export * from './ticket';
export * from './ticket-counter';
export * from './ticket-note';
export * from './webhook-delivery';
export * from './webhook-inbox';
