// Go programs the project runs beside itself (the Temporal CLI, the Temporal server and its SQL
// tool, the Temporal Web UI), built from the Go module proxy into a cache outside the work tree,
// keyed by name and version, so each is built once per machine (minutes) and found at once later.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface GoBinary {
  /** The cache folder's name, e.g. `temporal-server`. */
  cacheName: string;
  /** The `go install` package path, e.g. `go.temporal.io/server/cmd/server`. */
  packagePath: string;
  version: string;
  /** The binary `go install` writes (the package's last path element). */
  binary: string;
}

/** `$TEMPORAL_CLI_CACHE`'s parent convention: `~/.cache/level-integration/<name>/<version>`. */
export function goBinaryCacheDir(
  spec: Pick<GoBinary, 'cacheName' | 'version'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'level-integration', spec.cacheName, spec.version);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Go toolchain's environment: `/usr/local/go/bin` added, as on these machines. */
export function goEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${env.PATH ?? ''}:/usr/local/go/bin:${join(homedir(), 'go', 'bin')}`, GOFLAGS: '-mod=mod' };
}

/** The cached binary, built with `go install` first when missing. */
export async function ensureGoBinary(
  spec: GoBinary,
  log: (line: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const dir = goBinaryCacheDir(spec, env);
  const path = join(dir, spec.binary);
  if (isExecutable(path)) return path;
  mkdirSync(dir, { recursive: true });
  log(`Building ${spec.packagePath}@${spec.version} with go install into ${dir} (the first build takes minutes)…`);
  const started = Date.now();
  await execFileAsync('go', ['install', `${spec.packagePath}@${spec.version}`], {
    env: { ...goEnv(env), GOBIN: dir },
    maxBuffer: 64 * 1024 * 1024,
  });
  log(`Built ${spec.binary} in ${Math.round((Date.now() - started) / 1000)} s`);
  return path;
}

/** Where the Go module cache unpacked a module (its schemas and sample configs live there). */
export async function goModuleDir(
  module: string,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { stdout } = await execFileAsync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    env: goEnv(env),
    maxBuffer: 16 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}
