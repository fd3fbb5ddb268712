// The workflow bundle. Webpack keeps about 100 MB it never returns, so long-running workers
// bundle in a short-lived child process and load the result from a file; tests and replay
// bundle in-process once per run (simpler, and their processes are short-lived anyway).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const execFileAsync = promisify(execFile);

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** With `traced`, the OpenTelemetry workflow interceptors are bundled too (tracing on). */
export function bundleWorkflows(traced = false): Promise<WorkflowBundleWithSourceMap> {
  const workflowInterceptorModules = traced
    ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')]
    : [];
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules,
    logger: quietBundlerLogger,
  });
}

const inProcess = new Map<boolean, Promise<WorkflowBundleWithSourceMap>>();

/** Bundled once per process (per kind), in it. */
export function workflowBundle(traced = false): Promise<WorkflowBundleWithSourceMap> {
  if (!inProcess.has(traced)) inProcess.set(traced, bundleWorkflows(traced));
  return inProcess.get(traced)!;
}

/** Bundled by a child process (worker/bundle-workflows.ts) into a temporary file. */
export async function workflowBundleFile(traced = false): Promise<{ codePath: string }> {
  const codePath = join(mkdtempSync(join(tmpdir(), 'level-workflows-')), 'workflow-bundle.js');
  await execFileAsync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'bundle-workflows.ts'), codePath, ...(traced ? ['--traced'] : [])],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return { codePath };
}
