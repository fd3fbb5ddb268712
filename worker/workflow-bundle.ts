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

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietBundlerLogger });
}

let inProcess: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundled once per process, in it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  inProcess ??= bundleWorkflows();
  return inProcess;
}

/** Bundled by a child process (worker/bundle-workflows.ts) into a temporary file. */
export async function workflowBundleFile(): Promise<{ codePath: string }> {
  const codePath = join(mkdtempSync(join(tmpdir(), 'level-workflows-')), 'workflow-bundle.js');
  await execFileAsync(process.execPath, ['--import', 'tsx', join(__dirname, 'bundle-workflows.ts'), codePath], { maxBuffer: 16 * 1024 * 1024 });
  return { codePath };
}
