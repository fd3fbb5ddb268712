// Finding (or installing) the Temporal CLI that provides the dev server. Order of preference:
// TEMPORAL_CLI_PATH, a `temporal` on PATH, the build cached by `npm run temporal:install`, and,
// when allowed, a fresh `go install` into that cache. Machines with internet and no Go can fall
// back to the SDK's own download (see devserver/temporal-dev-server.ts).
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { buildProgress, EXPECTED_BUILD_MS, type BuildProgress } from './build-progress';

const execFileAsync = promisify(execFile);

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.TEMPORAL_CLI_CACHE ??
    join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'level-integration', 'temporal-cli');
  return join(base, TEMPORAL_CLI_VERSION);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

/** The CLI to use, if one is already present; never installs. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH))
      throw new Error(`TEMPORAL_CLI_PATH is not an executable: ${env.TEMPORAL_CLI_PATH}`);
    return env.TEMPORAL_CLI_PATH;
  }
  const cached = join(temporalCliCacheDir(env), 'temporal');
  return findOnPath('temporal', env) ?? (isExecutable(cached) ? cached : undefined);
}

export async function hasGo(): Promise<boolean> {
  try {
    await execFileAsync('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** Builds the CLI from the Go module proxy into the cache (takes minutes the first time). */
export async function installTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = console.error,
): Promise<string> {
  const dir = temporalCliCacheDir(env);
  mkdirSync(dir, { recursive: true });
  log(
    `Installing Temporal CLI ${TEMPORAL_CLI_VERSION} with go install into ${dir} (first build: about ${EXPECTED_BUILD_MS / 60_000} minutes on 2 cores; progress every ${PROGRESS_EVERY_MS / 1000} s)…`,
  );
  const started = Date.now();
  await goInstallWithProgress(
    ['install', '-v', `${CLI_MODULE}@${TEMPORAL_CLI_VERSION}`],
    { ...env, GOBIN: dir, GOFLAGS: '-mod=mod' },
    buildProgress(log),
  );
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s`);
  return join(dir, 'temporal');
}

const PROGRESS_EVERY_MS = 15_000;

/** Runs go, feeding its stderr to the progress and reporting it on a timer; rejects with the tail of stderr. */
async function goInstallWithProgress(args: string[], env: NodeJS.ProcessEnv, progress: BuildProgress): Promise<void> {
  const child = spawn('go', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const timer = setInterval(() => progress.report(), PROGRESS_EVERY_MS);
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    progress.line(line);
    tail.push(line);
    if (tail.length > 20) tail.shift();
  });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`go install failed (exit ${code}):\n${tail.join('\n')}`);
  } finally {
    clearInterval(timer);
  }
}

/** The CLI path, installing it with Go when missing; undefined when neither is possible. */
export async function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log?: (line: string) => void,
): Promise<string | undefined> {
  const existing = locateTemporalCli(env);
  if (existing) return existing;
  if (!(await hasGo())) return undefined;
  return installTemporalCli(env, log);
}
