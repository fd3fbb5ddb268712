// The embedded defaults of `npm start`: everything lives under ./.data/ so a newcomer needs no
// services of their own. The production entry points never use these.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateMasterKey } from '../security/secret-box';

export const DATA_DIR = resolve(process.env.DATA_DIR ?? '.data');
export const EMBEDDED_POSTGRES_PORT = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
export const EMBEDDED_POSTGRES_DIR = join(DATA_DIR, 'postgres');
export const EMBEDDED_POSTGRES_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/postgres`;
export const TEMPORAL_DEV_PORT = 7233;
export const TEMPORAL_UI_PORT = 8233;
export const TEMPORAL_DB_FILE = join(DATA_DIR, 'temporal.db');

/** MASTER_KEY for local runs: generated once into ./.data/master.key (mode 600). */
export function localMasterKey(): string {
  const file = join(DATA_DIR, 'master.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const key = generateMasterKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export function embeddedPostgresInitialised(): boolean {
  return existsSync(join(EMBEDDED_POSTGRES_DIR, 'PG_VERSION'));
}
