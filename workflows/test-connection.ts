// Test Connection: one activity calls Level with the integration's key (loaded inside the
// activity, never passed through history). A rejected key or an unreachable Level is an answer,
// not a crash: the run completes with ok=false and the integration records the error.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createConnectionActivities } from '../activities/connection-activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../contracts/failures';

export interface TestConnectionInput {
  tenantId: string;
  integrationId: string;
}

export type TestConnectionResult =
  { ok: true; connectedAt: string } | { ok: false; error: { code: string; message: string } };

const { checkLevelConnection, recordConnectionFailure } = proxyActivities<
  ReturnType<typeof createConnectionActivities>
>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

export async function testConnection(input: TestConnectionInput): Promise<TestConnectionResult> {
  try {
    const { connectedAt } = await checkLevelConnection({ integrationId: input.integrationId });
    return { ok: true, connectedAt };
  } catch (err) {
    const error = describeFailure(err);
    await recordConnectionFailure({ integrationId: input.integrationId, error });
    return { ok: false, error };
  }
}

function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return { code: err.cause.type ?? 'level_error', message: err.cause.message };
  }
  if (err instanceof ActivityFailure && err.cause) {
    return { code: 'level_error', message: err.cause.message };
  }
  throw err;
}
