// GET /api/v1/runs/:workflowId — a run of the caller's tenant, whatever its state. Workflow ids
// contain slashes: clients may send them URL-encoded (one segment) or raw (several segments).
import Router from '@koa/router';
import { WorkflowNotFoundError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../../contracts/device-sync';
import { belongsToTenant } from '../../contracts/workflow-ids';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { runResponse } from '../schemas';
import { outcomeOf } from '../workflow-runs';

const STATUS_NAMES: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'canceled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'running',
};

export function runRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  docs.add({
    method: 'get',
    path: '/runs/*workflowId',
    summary: "A workflow run of the caller's tenant (the id URL-encoded as one segment, or raw with its slashes)",
    responses: { 200: { description: 'The run', schema: runResponse }, 404: 'No such run for this tenant' },
  });

  router.get('/runs/*workflowId', async (ctx) => {
    const raw = ctx.params.workflowId;
    const id = Array.isArray(raw) ? raw.join('/') : String(raw ?? '');
    if (!belongsToTenant(id, tenantOf(ctx))) throw notFound('Run');
    const client = await deps.temporal.getClient();
    const handle = client.workflow.getHandle(id);
    let description: WorkflowExecutionDescription;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('Run');
      throw err;
    }
    ctx.body = await runView(handle, description);
  });
  return router;
}

async function runView(handle: WorkflowHandle, d: WorkflowExecutionDescription) {
  const status = STATUS_NAMES[d.status.name] ?? d.status.name.toLowerCase();
  const closed = status !== 'running';
  const outcome = d.status.name === 'COMPLETED' || d.status.name === 'FAILED' ? await outcomeOf(handle) : undefined;
  return {
    workflowId: d.workflowId,
    runId: d.runId,
    type: d.type,
    status,
    startedAt: d.startTime.toISOString(),
    closedAt: closed ? (d.closeTime?.toISOString() ?? null) : null,
    result: outcome?.status === 'completed' ? outcome.result : null,
    failure: outcome?.status === 'failed' ? outcome.failure : null,
    progress: closed ? null : await progressOf(handle),
  };
}

/** Progress of a running workflow that defines the query; null for those that do not. */
async function progressOf(handle: WorkflowHandle): Promise<unknown> {
  try {
    return await handle.query(progressQuery);
  } catch {
    return null;
  }
}
