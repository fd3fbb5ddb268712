// `GET …/integrations/level/sync-runs`: the tenant's device sync history, newest first, with what
// started each run (a person, the schedule, a webhook) and its counts once it completed.
import type Router from '@koa/router';
import { SyncRunSchema, type SyncRun } from '../../db/entities';
import type { AppDeps } from '../deps';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { pageOfSchema, syncRunResponse } from '../schemas';
import { findPage, pageQuery } from '../pagination';
import { parseInput } from '../validation';
import { findIntegration } from '../integration-operations';

/** Adds the route to the integration's router, whose prefix is `base`. */
export function addSyncRunRoutes(router: Router, base: string, deps: AppDeps, docs: OpenApiRegistry): void {
  docs.add({
    method: 'get',
    path: `${base}/sync-runs`,
    summary: 'Device sync history, newest first (trigger: manual, schedule or webhook)',
    query: pageQuery,
    responses: {
      200: { description: 'A page of sync runs', schema: pageOfSchema(syncRunResponse) },
      400: 'Invalid query',
      404: 'Never configured',
    },
  });

  router.get('/sync-runs', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const pageRequest = parseInput(pageQuery.strict(), ctx.query, 'query');
    await findIntegration(deps.orm.em, tenantId);
    const page = await findPage(
      deps.orm.em.fork(),
      SyncRunSchema,
      { tenantId },
      { startedAt: 'desc', id: 'desc' },
      pageRequest,
    );
    ctx.body = { items: page.items.map(syncRunView), nextCursor: page.nextCursor };
  });
}

function syncRunView(run: SyncRun) {
  return {
    id: run.id,
    workflowId: run.workflowId,
    runId: run.runId ?? null,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    /** The contract's counts; null until the run completed. */
    result: run.status === 'completed' ? { ...run.counts, relinked: run.counts.relinked ?? 0 } : null, // runs from before relinks have none
    processed: run.processed,
    expected: run.expected,
  };
}
