// Starting workflows and reporting runs, as the contract describes: 202 {workflowId, runId,
// status: "running"}, or with ?wait=true the outcome within a bound; single-flight operations
// answer the run already in progress.
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Context } from 'koa';
import { runSearchAttributes } from '../contracts/search-attributes';
import type { Operation } from '../contracts/workflow-ids';
import type { WorkflowType } from '../contracts/workflows';
import type { AppDeps } from './deps';

export interface StartSpec {
  workflowType: WorkflowType;
  workflowId: string;
  args: unknown[];
  tenantId: string;
  operation: Operation;
  summary: string;
  /** Static details (Markdown) shown under the summary; default: tenant and operation. */
  details?: string;
  /** Answer the running run instead of starting a second one. */
  singleFlight?: boolean;
}

export async function startRun(
  deps: AppDeps,
  spec: StartSpec,
): Promise<{ handle: WorkflowHandle; alreadyRunning: boolean }> {
  const client = await deps.temporal.getClient();
  try {
    const handle = await client.workflow.start(spec.workflowType, {
      taskQueue: deps.config.taskQueue,
      workflowId: spec.workflowId,
      args: spec.args,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: runSearchAttributes(spec.tenantId, spec.operation),
      staticSummary: spec.summary,
      staticDetails: spec.details ?? `Tenant ${spec.tenantId} · ${spec.operation}`,
    });
    return { handle, alreadyRunning: false };
  } catch (err) {
    if (spec.singleFlight && err instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle(spec.workflowId), alreadyRunning: true };
    }
    throw err;
  }
}

/** Writes the contract's answer for a started (or already running) run. */
export async function respondWithRun(
  ctx: Context,
  deps: AppDeps,
  handle: WorkflowHandle,
  alreadyRunning = false,
): Promise<void> {
  const runId = alreadyRunning
    ? (await handle.describe()).runId
    : (handle as { firstExecutionRunId?: string }).firstExecutionRunId;
  const base = { workflowId: handle.workflowId, runId };
  if (alreadyRunning) {
    ctx.status = 200;
    ctx.body = { ...base, status: 'running', alreadyRunning: true };
    return;
  }
  if (ctx.query.wait === 'true') {
    const outcome = await waitForOutcome(handle, deps.config.runWaitTimeoutMs);
    if (outcome) {
      ctx.status = 200;
      ctx.body = { ...base, ...outcome };
      return;
    }
  }
  ctx.status = 202;
  ctx.body = { ...base, status: 'running' };
}

type Outcome =
  { status: 'completed'; result: unknown } | { status: 'failed'; failure: { message: string; type?: string } };

async function waitForOutcome(handle: WorkflowHandle, timeoutMs: number): Promise<Outcome | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([outcomeOf(handle), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function outcomeOf(handle: WorkflowHandle): Promise<Outcome> {
  try {
    return { status: 'completed', result: await handle.result() };
  } catch (err) {
    if (err instanceof WorkflowFailedError) return { status: 'failed', failure: failureOf(err) };
    throw err;
  }
}

/** The failure a person can act on: an activity's own error rather than "Activity task failed". */
function failureOf(err: WorkflowFailedError): { message: string; type?: string } {
  const cause = err.cause instanceof ActivityFailure && err.cause.cause ? err.cause.cause : err.cause;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  return { message: cause?.message ?? err.message, ...(type ? { type } : {}) };
}
