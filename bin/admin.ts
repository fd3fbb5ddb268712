// `npm run admin -- <command>`: tenants, admin tokens and the master key, from the shell. Uses
// DATABASE_URL (or the embedded PostgreSQL of `npm start`) and applies migrations first.
//   tenant:create <name> [--json]                       a tenant and its first token (shown once)
//   token:create <tenant> [--name N] [--expires 30d] [--json]   another token (shown once)
//   token:list <tenant> [--json]                        id, name, created, last used, expires, revoked
//   token:revoke <token id>                             the token stops working at once
//   master-key:rotate                                   re-seal every secret under MASTER_KEY
// <tenant> is a tenant id or its exact name.
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseArgs } from 'node:util';
import { loadConfig, type AppConfig } from '../config/config';
import { createAdminToken, listAdminTokens, revokeAdminToken, type TokenInfo } from '../db/admin-tokens';
import { migrateToLatest, openOrm } from '../db/orm';
import { resealIntegrationSecrets } from '../db/secret-reseal';
import { createTenantWithToken, findTenant } from '../db/tenants';
import { EMBEDDED_POSTGRES_URL, embeddedPostgresInitialised, localMasterKey } from '../runtime/embedded-defaults';
import { createSecretBox, parseMasterKey } from '../security/secret-box';

const USAGE = `usage: npm run admin -- tenant:create <name> [--json]
       npm run admin -- token:create <tenant> [--name <name>] [--expires <30d|12h|ISO date>] [--json]
       npm run admin -- token:list <tenant> [--json]
       npm run admin -- token:revoke <token id>
       npm run admin -- master-key:rotate   (MASTER_KEY: the new key, MASTER_KEY_PREVIOUS: the old one)`;

class UsageError extends Error {}

type Options = { json: boolean; name?: string; expires?: string };
type Command = (em: EntityManager, args: string[], options: Options, config: AppConfig) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'tenant:create': async (em, args, { json }) => {
    const name = args.join(' ').trim();
    if (name === '') throw new UsageError();
    const tenant = await createTenantWithToken(em, name);
    if (json) console.log(JSON.stringify({ tenantId: tenant.tenantId, token: tenant.token }));
    else
      console.log(
        `Created tenant "${name}"\n  tenantId: ${tenant.tenantId}\n  token:    ${tenant.token}\nThe token is shown only once; store it now.`,
      );
  },

  'token:create': async (em, args, { json, name, expires }) => {
    const tenant = await tenantArg(em, args);
    const expiresAt = expires === undefined ? undefined : parseExpiry(expires);
    const created = await createAdminToken(em, tenant.id, {
      ...(name ? { name } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
    if (json)
      console.log(
        JSON.stringify({
          tokenId: created.id,
          tenantId: tenant.id,
          token: created.token,
          expiresAt: expiresAt?.toISOString() ?? null,
        }),
      );
    else
      console.log(
        `Created a token for "${tenant.name}"${expiresAt ? `, expiring ${expiresAt.toISOString()}` : ''}\n  tokenId: ${created.id}\n  token:   ${created.token}\nThe token is shown only once; store it now.`,
      );
  },

  'token:list': async (em, args, { json }) => {
    const tenant = await tenantArg(em, args);
    const tokens = await listAdminTokens(em, tenant.id);
    if (json) console.log(JSON.stringify(tokens.map(tokenView)));
    else
      for (const token of tokens)
        console.log(
          Object.values(tokenView(token))
            .map((v) => v ?? '-')
            .join('  '),
        );
  },

  'token:revoke': async (em, args) => {
    const [id] = args;
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError();
    if (!(await revokeAdminToken(em, id))) throw new Error(`no active token with id ${id}`);
    console.log(`Revoked token ${id}`);
  },

  'master-key:rotate': async (em, _args, _options, config) => {
    const masterKey = config.masterKey ?? parseMasterKey(localMasterKey());
    const report = await resealIntegrationSecrets(em, createSecretBox(masterKey, config.masterKeyPrevious), {
      legacyOnly: false,
    });
    console.log(
      `Re-sealed ${report.resealed} secret(s) under MASTER_KEY; ${report.current} already were. MASTER_KEY_PREVIOUS can now be removed.`,
    );
  },
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, name: { type: 'string' }, expires: { type: 'string' } },
  });
  const [commandName, ...args] = positionals;
  const command = commandName ? COMMANDS[commandName] : undefined;
  if (!command || !Object.hasOwn(COMMANDS, commandName!)) return usage();
  const config = loadConfig();
  const orm = await openOrm(config.databaseUrl ?? embeddedUrl());
  try {
    await migrateToLatest(orm);
    await command(
      orm.em.fork(),
      args,
      {
        json: values.json ?? false,
        ...(values.name ? { name: values.name } : {}),
        ...(values.expires ? { expires: values.expires } : {}),
      },
      config,
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usage();
    throw err;
  } finally {
    await orm.close();
  }
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

async function tenantArg(em: EntityManager, args: string[]): Promise<{ id: string; name: string }> {
  const idOrName = args.join(' ').trim();
  if (idOrName === '') throw new UsageError();
  const tenant = await findTenant(em, idOrName);
  if (!tenant) throw new Error(`no tenant with id or name "${idOrName}"`);
  return tenant;
}

/** `30d`, `12h`, `90m` from now, or an ISO date in the future. */
function parseExpiry(text: string, now = new Date()): Date {
  const relative = /^(\d+)([dhm])$/.exec(text.trim());
  const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000 };
  const at = relative
    ? new Date(now.getTime() + Number(relative[1]) * unitMs[relative[2] as keyof typeof unitMs])
    : new Date(text);
  if (Number.isNaN(at.getTime()) || at <= now)
    throw new Error(`--expires must be like 30d, 12h, 90m or a future ISO date, not "${text}"`);
  return at;
}

function tokenView(token: TokenInfo) {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: token.id,
    name: token.name,
    createdAt: iso(token.createdAt),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: iso(token.expiresAt),
    revokedAt: iso(token.revokedAt),
  };
}

function embeddedUrl(): string {
  if (!embeddedPostgresInitialised()) {
    throw new Error(
      'DATABASE_URL is not set and no embedded PostgreSQL exists yet: run `npm start` once, or set DATABASE_URL',
    );
  }
  return EMBEDDED_POSTGRES_URL;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`admin: ${(err as Error).message}`);
    process.exit(1);
  },
);
