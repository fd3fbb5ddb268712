// The Level Connection card: save the key, read the status, disconnect, test the connection.
import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LevelIntegration } from '../../db/entities';
import { integrationSummary } from '../../db/integration-summary';
import { lastSyncAt } from '../../db/sync-run-store';
import { DISCONNECTED_NOTE, pauseSyncSchedule } from '../../temporal/sync-schedule';
import { saveIntegration } from '../../db/integration-store';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { webhookTargets } from '../webhook/target-cache';
import { TEST_CONNECTION_WORKFLOW } from '../../contracts/workflows';
import { findIntegration, startIntegrationOperation, startQuery } from '../integration-operations';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { integrationResponse, runStartResponse } from '../schemas';
import { parseInput } from '../validation';

export const saveIntegrationBody = z
  .object({
    apiKey: z.string().trim().min(8, 'API key is too short').max(512).regex(/^\S+$/, 'API key must not contain spaces'),
    /** Checked against LEVEL_ALLOWED_HOSTS after parsing (checkBaseUrl). */
    baseUrl: z.string().trim().max(2048).optional(),
  })
  .strict();

export function integrationRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/integrations/level';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  const integrationDoc = { description: 'The integration', schema: integrationResponse };
  docs.add({
    method: 'put',
    path: base,
    summary: 'Save the Level API key (create or replace)',
    body: saveIntegrationBody,
    responses: { 200: integrationDoc, 400: 'Invalid input' },
  });
  docs.add({
    method: 'get',
    path: base,
    summary: 'The integration and its status',
    responses: { 200: integrationDoc, 404: 'Never configured' },
  });
  docs.add({
    method: 'delete',
    path: base,
    summary: 'Disconnect (removes secrets, keeps history)',
    responses: { 200: integrationDoc, 404: 'Never configured' },
  });
  docs.add({
    method: 'post',
    path: `${base}/test-connection`,
    summary: 'Start a Test Connection run',
    query: startQuery,
    responses: {
      202: { description: 'Run started', schema: runStartResponse },
      200: { description: 'Outcome (wait=true)', schema: runStartResponse },
      404: 'Never configured',
      409: 'No API key saved',
    },
  });

  router.put('/', async (ctx) => {
    const input = parseInput(saveIntegrationBody, ctx.request.body);
    await checkBaseUrl(deps, input.baseUrl);
    const integration = await saveIntegration(em(), deps.secretBox, tenantOf(ctx), input);
    ctx.body = await integrationView(em(), integration);
  });

  router.get('/', async (ctx) => {
    ctx.body = await integrationView(em(), await findIntegration(em(), tenantOf(ctx)));
  });

  router.delete('/', async (ctx) => {
    const integration = await findIntegration(em(), tenantOf(ctx));
    // Secrets go; history (groups, assets, alerts, tickets) stays, marked by the integration's status.
    Object.assign(integration, {
      status: 'disconnected',
      apiKeySealed: null,
      apiKeyHint: null,
      webhookSecretSealed: null,
      signingSecretSealed: null,
      connectedAt: null,
    });
    await em().flush();
    // The receiver's cached copy of the secrets goes too: the webhook stops at once, not in 5 s.
    webhookTargets.forget(integration.webhookId);
    await pauseScheduleOnDisconnect(deps, integration.tenantId);
    ctx.body = await integrationView(em(), integration);
  });

  router.post('/test-connection', async (ctx) => {
    await startIntegrationOperation(ctx, deps, {
      workflowType: TEST_CONNECTION_WORKFLOW,
      operation: 'test-connection',
      key: randomUUID(),
      summary: 'Test Level connection',
      singleFlight: false,
      needsKeyFor: 'testing the connection',
    });
  });
  return router;
}

export async function integrationView(em: EntityManager, integration: LevelIntegration) {
  return {
    id: integration.id,
    status: integration.status,
    baseUrl: integration.baseUrl,
    apiKeyHint: integration.apiKeyHint,
    connectedAt: integration.connectedAt?.toISOString() ?? null,
    lastTestedAt: integration.lastTestedAt?.toISOString() ?? null,
    lastError: integration.lastError,
    summary: await integrationSummary(em, integration.tenantId),
    lastSyncAt: await lastSyncAt(em, integration.tenantId),
  };
}

/**
 * A disconnected integration has no key: its scheduled syncs could only fail. Pausing keeps the
 * interval for when it is enabled again. Temporal away: the disconnect still holds (logged).
 */
async function pauseScheduleOnDisconnect(deps: AppDeps, tenantId: string): Promise<void> {
  try {
    await pauseSyncSchedule(await deps.temporal.getClient(), tenantId, DISCONNECTED_NOTE);
  } catch (err) {
    deps.logger.warn(
      { tenantId, error: (err as Error).message },
      'could not pause the device sync schedule of a disconnected integration',
    );
  }
}

/** A base URL outside LEVEL_ALLOWED_HOSTS (or resolving to an address it does not allow) is never saved. */
async function checkBaseUrl(deps: AppDeps, baseUrl: string | undefined): Promise<void> {
  if (baseUrl === undefined) return;
  const problem = await deps.config.levelHosts.problemWithResolved(baseUrl);
  if (problem)
    throw new ApiError(400, 'invalid_base_url', problem, { fields: [{ field: 'baseUrl', message: problem }] });
}
