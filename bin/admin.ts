// `npm run admin -- tenant:create <name> [--json]`: creates a tenant and prints its admin token
// once. Uses DATABASE_URL (or the embedded PostgreSQL of `npm start`) and applies migrations.
import { loadConfig } from '../config/config';
import { migrateToLatest, openOrm } from '../db/orm';
import { createTenantWithToken } from '../db/tenants';
import { EMBEDDED_POSTGRES_URL, embeddedPostgresInitialised } from '../runtime/embedded-defaults';

const USAGE = 'usage: npm run admin -- tenant:create <name> [--json]';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const [command, ...rest] = argv.filter((arg) => arg !== '--json');
  const name = rest.join(' ').trim();
  if (command !== 'tenant:create' || name === '') {
    console.error(USAGE);
    return 2;
  }
  const databaseUrl = loadConfig().databaseUrl ?? embeddedUrl();
  const orm = await openOrm(databaseUrl);
  try {
    await migrateToLatest(orm);
    const tenant = await createTenantWithToken(orm.em.fork(), name);
    if (json) console.log(JSON.stringify({ tenantId: tenant.tenantId, token: tenant.token }));
    else console.log(`Created tenant "${name}"\n  tenantId: ${tenant.tenantId}\n  token:    ${tenant.token}\nThe token is shown only once; store it now.`);
    return 0;
  } finally {
    await orm.close();
  }
}

function embeddedUrl(): string {
  if (!embeddedPostgresInitialised()) {
    throw new Error('DATABASE_URL is not set and no embedded PostgreSQL exists yet: run `npm start` once, or set DATABASE_URL');
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
