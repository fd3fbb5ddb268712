// Every entity schema the ORM knows; the ORM config and the migration generator read this list.
import { AdminTokenSchema } from './admin-token';
import { ClientSchema } from './client';
import { LevelIntegrationSchema } from './level-integration';
import { TenantSchema } from './tenant';

export const entities = [TenantSchema, AdminTokenSchema, ClientSchema, LevelIntegrationSchema];

export * from './admin-token';
export * from './client';
export * from './level-integration';
export * from './tenant';
