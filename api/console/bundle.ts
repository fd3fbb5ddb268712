// The console's browser bundle: web/ compiled by esbuild into JS and CSS, kept in memory for
// serving and cached under .web-build/ keyed by a hash of the sources, so a restart with
// unchanged sources skips the build and an edited source is never served stale.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';

export const WEB_DIR = resolve(__dirname, '..', '..', 'web');
export const BUILD_DIR = resolve(__dirname, '..', '..', '.web-build');

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  /** Strong validator: the hash of the body. */
  etag: string;
}

export interface ConsoleBundle {
  sourceHash: string;
  assets: Map<string, ConsoleAsset>;
}

/** Served names → what esbuild writes (its entry is web/main.ts, which imports the CSS). */
const OUTPUTS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export async function loadConsoleBundle(): Promise<ConsoleBundle> {
  const sourceHash = await hashSources();
  const cached = await readCache(sourceHash);
  if (cached) return cached;
  const bundle = { sourceHash, assets: await compile() };
  await writeCache(bundle).catch(() => undefined); // a read-only install still serves from memory
  return bundle;
}

async function compile(): Promise<Map<string, ConsoleAsset>> {
  const result = await build({
    entryPoints: { app: join(WEB_DIR, 'main.ts') },
    bundle: true,
    write: false,
    outdir: BUILD_DIR,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari16'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: join(WEB_DIR, 'tsconfig.json'),
  });
  const files = new Map<string, Buffer>();
  for (const file of result.outputFiles) files.set(relative(BUILD_DIR, file.path), Buffer.from(file.contents));
  files.set('index.html', await readFile(join(WEB_DIR, 'index.html')));
  return toAssets(files);
}

function toAssets(files: Map<string, Buffer>): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(OUTPUTS)) {
    const body = files.get(name);
    if (!body) throw new Error(`console build produced no ${name}`);
    assets.set(name, {
      body,
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return assets;
}

/** Every file under web/ (names and contents) plus the esbuild version. */
async function hashSources(): Promise<string> {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const file of await listFiles(WEB_DIR)) {
    hash.update(`${relative(WEB_DIR, file)}\n`).update(await readFile(file));
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]),
    ),
  );
  return nested.flat().sort();
}

async function readCache(sourceHash: string): Promise<ConsoleBundle | undefined> {
  try {
    const stamp = await readFile(join(BUILD_DIR, 'source-hash'), 'utf8');
    if (stamp.trim() !== sourceHash) return undefined;
    const files = new Map<string, Buffer>();
    for (const name of Object.keys(OUTPUTS)) files.set(name, await readFile(join(BUILD_DIR, name)));
    return { sourceHash, assets: toAssets(files) };
  } catch {
    return undefined;
  }
}

/** Each file is renamed into place, so a concurrent reader sees whole files; the stamp goes last. */
async function writeCache(bundle: ConsoleBundle): Promise<void> {
  await mkdir(BUILD_DIR, { recursive: true });
  const suffix = `.tmp-${process.pid}`;
  const files: Array<[string, Buffer | string]> = [
    ...[...bundle.assets].map(([name, asset]): [string, Buffer] => [name, asset.body]),
    ['source-hash', bundle.sourceHash],
  ];
  for (const [name, body] of files) {
    await writeFile(join(BUILD_DIR, name + suffix), body);
    await rename(join(BUILD_DIR, name + suffix), join(BUILD_DIR, name));
  }
}
