// Reading the tenant's device sync history (sync_runs rows, one per run, written by the sync's
// activities): when the last sync completed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SyncRunSchema } from './entities';

/** When the tenant's last completed device sync finished, or null before the first. */
export async function lastSyncAt(em: EntityManager, tenantId: string): Promise<string | null> {
  const run = await em.fork().findOne(SyncRunSchema, { tenantId, status: 'completed' }, { orderBy: { finishedAt: 'desc' }, fields: ['finishedAt'] });
  return run?.finishedAt?.toISOString() ?? null;
}
