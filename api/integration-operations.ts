// Starting one of a tenant's Level operations (test connection, discovery, sync, backfill): the
// same checks and the same answer for each — the integration must have a key, the workflow gets
// only ids, and the reply follows the contract's run conventions (?wait=true included).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from 'koa';
import { z } from 'zod';
import { workflowId, type Operation } from '../contracts/workflow-ids';
import type { WorkflowType } from '../contracts/workflows';
import { LevelIntegrationSchema, type LevelIntegration } from '../db/entities';
import type { AppDeps } from './deps';
import { ApiError, notFound } from './errors';
import { tenantOf } from './middleware/auth';
import { parseInput } from './validation';
import { operationRunWords } from './run-words';
import { respondWithRun, startRun } from './workflow-runs';

export const startQuery = z.object({ wait: z.enum(['true', 'false']).optional() });

/** What every operation workflow receives: ids only, never the key. */
export interface IntegrationOperationInput {
  tenantId: string;
  integrationId: string;
}

export interface OperationSpec {
  workflowType: WorkflowType;
  operation: Operation;
  summary: string;
  /** Added to the workflow id for operations that may run side by side (test-connection). */
  key?: string;
  /** One run per tenant at a time: a second request answers the running one. */
  singleFlight: boolean;
  /** Why a key is needed, for the 409 answer. */
  needsKeyFor: string;
}

export async function startIntegrationOperation(ctx: Context, deps: AppDeps, spec: OperationSpec): Promise<void> {
  parseInput(startQuery, ctx.query, 'query');
  const tenantId = tenantOf(ctx);
  const integration = await integrationWithKey(deps, tenantId, spec.needsKeyFor);
  const input: IntegrationOperationInput = { tenantId, integrationId: integration.id };
  const words = await operationRunWords(deps.orm.em.fork(), spec.operation, integration, spec.summary);
  const { handle, alreadyRunning } = await startRun(deps, {
    workflowType: spec.workflowType,
    workflowId: workflowId(tenantId, spec.operation, spec.key),
    args: [input],
    tenantId,
    operation: spec.operation,
    summary: words.summary,
    details: words.details,
    singleFlight: spec.singleFlight,
  });
  await respondWithRun(ctx, deps, handle, alreadyRunning);
}

/** The tenant's integration; 404 when it was never configured. */
export async function findIntegration(em: EntityManager, tenantId: string): Promise<LevelIntegration> {
  const integration = await em.findOne(LevelIntegrationSchema, { tenantId });
  if (!integration) throw notFound('Level integration');
  return integration;
}

/** The tenant's integration (404 when never configured), which must have a saved key (else 409). */
export async function integrationWithKey(
  deps: AppDeps,
  tenantId: string,
  needsKeyFor: string,
): Promise<LevelIntegration> {
  const integration = await findIntegration(deps.orm.em, tenantId);
  if (!integration.apiKeySealed)
    throw new ApiError(409, 'not_configured', `Save a Level API key before ${needsKeyFor}`);
  return integration;
}
