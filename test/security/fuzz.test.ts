// Generated hostile input (fast-check): 2,000 bodies through an authenticated webhook receiver and
// 500 requests through the admin API. Never a 5xx; a refused request changes nothing; the service
// answers health checks and routes a real alert afterwards; no log line carries a secret.
// FUZZ_SEED=<n> replays a run (the seed is printed); FUZZ_SEED=random draws a new one.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createApp } from '../../api/app';
import { createLogger } from '../../config/logger';
import { TicketNoteSchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import {
  ACME_DEVICE,
  BASE,
  alertRow,
  alertTenant,
  startAlertSimulator,
  templateBody,
  waitFor,
  type AlertTenant,
} from '../alerts/fixture';
import { call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

// A fixed seed by default, so a red run replays exactly; FUZZ_SEED=random explores new inputs.
const SEED =
  process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261201);
const RECEIVER_BODIES = 2000;
const ADMIN_REQUESTS = 500;
const TENANT_TABLES = [
  'alerts',
  'alert_rules',
  'assets',
  'clients',
  'level_groups',
  'level_integrations',
  'maintenance_windows',
  'ticket_notes',
  'tickets',
  'webhook_inbox',
];

// --- generators ------------------------------------------------------------------------------

const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'disk\u0000full',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil',
    '𝔘𝔫𝔦',
    'constructor',
    '__proto__',
    'toString',
    '{{alert_id}}',
    '',
  ),
  fc.string({ minLength: 201, maxLength: 400 }),
);
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddText,
  fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, 1.5, true, null, [], {}),
);
const templateFields = Object.keys(templateBody());

/** A template or native body with one to three fields replaced by junk, as JSON text. */
const mutatedBody = fc
  .tuple(
    fc.boolean(),
    fc.uniqueArray(fc.constantFrom(...templateFields, 'event_type', 'event_id', 'data', 'occurred_at'), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(junk, { minLength: 3, maxLength: 3 }),
  )
  .map(([native, fields, values]) => {
    const base: Record<string, unknown> = native
      ? {
          event_type: 'alert_active',
          event_id: 'e-1',
          occurred_at: new Date().toISOString(),
          data: { id: 'a-1', device_id: ACME_DEVICE, name: 'n', severity: 'critical' },
        }
      : templateBody({ device_id: 'fuzz-unknown-device' });
    fields.forEach((field, i) => (base[field] = values[i]));
    return JSON.stringify(base);
  });

/** Raw texts JSON.stringify never makes: deep nesting, huge numbers, escapes of lone surrogates, invalid UTF-8. */
const rawBody = fc.oneof(
  fc.integer({ min: 500, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc
    .integer({ min: 500, max: 5_000 })
    .map((depth) => `{"event":"alert.triggered","data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.constantFrom(
    '{"event":"alert.triggered","alert_id":1e999}',
    '{"alert_id":123456789012345678901234567890}',
    '{"event":"alert.triggered","name":"\\uD800"}',
    '{"event":"\\u0000"}',
    '',
    'null',
    '[]',
    '"x"',
    '{',
    '\u00c0\u0080',
  ),
);

const receiverBody = fc.oneof(
  { arbitrary: mutatedBody, weight: 5 },
  { arbitrary: rawBody, weight: 2 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
);

/** An admin request: a method and path of a real endpoint with a junk body or query. */
function adminRequest(ids: { client: string; rule: string; window: string; ticket: string; group: string }) {
  const endpoints: Array<[string, string]> = [
    ['POST', '/api/v1/clients'],
    ['POST', '/api/v1/alert-rules'],
    ['PUT', `/api/v1/alert-rules/${ids.rule}`],
    ['POST', '/api/v1/alert-rules/reorder'],
    ['POST', '/api/v1/maintenance-windows'],
    ['PUT', `/api/v1/maintenance-windows/${ids.window}`],
    ['PATCH', `/api/v1/tickets/${ids.ticket}`],
    ['PUT', BASE],
    ['PUT', `${BASE}/groups/${encodeURIComponent(ids.group)}/mapping`],
    ['PUT', `${BASE}/webhook/signing-secret`],
  ];
  const lists = [
    '/api/v1/clients',
    '/api/v1/alerts',
    '/api/v1/tickets',
    '/api/v1/alert-rules',
    `/api/v1/clients/${ids.client}/assets`,
    `${BASE}/groups`,
  ];
  const write = fc.tuple(
    fc.constantFrom(...endpoints),
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(
        fc.constantFrom(
          'name',
          'actions',
          'conditions',
          'status',
          'note',
          'apiKey',
          'baseUrl',
          'clientId',
          'ids',
          'scope',
          'recurrence',
          'secret',
          'enabled',
          '__proto__',
        ),
        junk,
      ),
    ),
  );
  const read = fc.tuple(
    fc.constantFrom(...lists),
    fc.dictionary(
      fc.constantFrom('limit', 'cursor', 'status', 'clientId', 'includeArchived', 'x'),
      fc.oneof(fc.string(), fc.integer().map(String)),
    ),
  );
  return fc.oneof(
    write.map(([[method, path], body]) => ({ method, path, body: JSON.stringify(body) ?? 'null' })),
    read.map(([path, query]) => ({
      method: 'GET',
      path: `${path}?${new URLSearchParams(query).toString()}`,
      body: undefined,
    })),
  );
}

// --- the suite -------------------------------------------------------------------------------

describe(`Security: fuzzed input (FUZZ_SEED=${SEED})`, function () {
  this.timeout(240_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let served: ServedApp;
  const lines: string[] = [];
  const secrets: string[] = [];
  /** A tenant whose secrets the log check looks for. */
  const tenant = async () => {
    const t = await alertTenant(env, simulator);
    secrets.push(t.secret, t.token, t.apiKey);
    return t;
  };

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    // The same app and services, with every log line kept at the most verbose level.
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()),
    });
    served = await serveApp(
      createApp({ ...env.services, logger: createLogger('trace', 'fuzz', sink), config: env.config }),
    );
  });

  after(async () => {
    await served?.close();
    await simulator?.close();
  });

  const post = (t: AlertTenant, raw: string) =>
    call(served.url, 'POST', `/webhooks/level/${t.webhookId}`, {
      rawBody: raw,
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
    });

  /** A digest of every row the tenant owns: equal before and after means nothing changed. */
  async function stateOf(tenantId: string): Promise<string> {
    const parts = TENANT_TABLES.map(
      (table) =>
        `(select coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from "${table}" t where t."tenant_id" = ?)`,
    );
    const [row] = await env.em().execute<Array<{ digest: string }>>(
      `select md5(${parts.join(' || ')}) as "digest"`,
      TENANT_TABLES.map(() => tenantId),
    );
    return row!.digest;
  }

  it(`answers ${RECEIVER_BODIES} generated webhook bodies without a 5xx, and a refused body records nothing`, async () => {
    const fuzzed = await tenant();
    const bodies = fc.sample(receiverBody, { numRuns: RECEIVER_BODIES, seed: SEED });
    const refused: string[] = [];
    const statuses = new Map<number, number>();
    for (const raw of bodies) {
      const answer = await post(fuzzed, raw);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      assert.ok(
        answer.status < 500,
        `HTTP ${answer.status} for ${raw.slice(0, 300)}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
      assert.ok([202, 400, 413, 415, 422].includes(answer.status), `HTTP ${answer.status} for ${raw.slice(0, 300)}`);
      if (answer.status !== 202) {
        assert.equal(typeof answer.body?.error?.code, 'string', 'the contract error shape');
        refused.push(raw);
      }
    }
    console.log(`      (answers: ${JSON.stringify(Object.fromEntries(statuses))})`);

    // The refused bodies again, to a tenant that receives nothing else: it must end with no state
    // but what a last, valid alert (the canary, waited for) leaves.
    const clean = await tenant();
    const before = await stateOf(clean.tenantId);
    for (const raw of refused) assert.notEqual((await post(clean, raw)).status, 202, raw.slice(0, 300));
    assert.equal(await stateOf(clean.tenantId), before, 'no refused body changed anything');
    const canary = templateBody();
    assert.equal((await post(clean, JSON.stringify(canary))).status, 202);
    await waitFor(
      'the canary alert routed',
      async () => (await alertRow(env, clean.tenantId, canary.alert_id as string))?.ticketId,
    );
    const alerts = await clean.alerts();
    assert.deepEqual(
      alerts.map((a) => a.levelAlertId),
      [canary.alert_id],
      'only the canary became an alert',
    );
  });

  it(`answers ${ADMIN_REQUESTS} generated admin requests without a 5xx, and a refused one changes nothing`, async () => {
    const t = await tenant();
    const admin = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
    const rule = (await t.api.post('/api/v1/alert-rules', { name: 'Fuzz', actions: { createTicket: true } })).body
      .id as string;
    const window = (
      await t.api.post('/api/v1/maintenance-windows', {
        name: 'Fuzz',
        scope: {},
        startsAt: '2030-01-01T00:00:00Z',
        endsAt: '2030-01-02T00:00:00Z',
      })
    ).body.id as string;
    const canary = templateBody();
    await post(t, JSON.stringify(canary));
    const ticket = await waitFor(
      'a ticket',
      async () => (await alertRow(env, t.tenantId, canary.alert_id as string))?.ticketId,
    );
    // Its health note is written beside the alert's run: let it land before state is compared.
    await waitFor("the ticket's health note", async () =>
      (await env.em().find(TicketNoteSchema, { ticketId: ticket })).some((note) =>
        /^(Device health from Level|Health unavailable)/.test(note.body),
      ),
    );
    const group = ((await t.api.get(`${BASE}/groups`)).body.items[0] as { levelGroupId: string }).levelGroupId;

    const requests = fc.sample(adminRequest({ client: t.clientId, rule, window, ticket, group }), {
      numRuns: ADMIN_REQUESTS,
      seed: SEED,
    });
    let refusedCount = 0;
    for (const request of requests) {
      const before = request.method === 'GET' ? null : await stateOf(t.tenantId);
      const answer = await call(served.url, request.method, request.path, {
        headers: admin,
        ...(request.body === undefined ? {} : { rawBody: request.body }),
      });
      const shown = `${request.method} ${request.path} ${request.body?.slice(0, 300) ?? ''}`;
      assert.ok(
        answer.status < 500,
        `HTTP ${answer.status} for ${shown}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
      if (answer.status >= 400) {
        refusedCount += 1;
        assert.equal(typeof answer.body?.error?.code, 'string', `the contract error shape for ${shown}`);
        if (before !== null) assert.equal(await stateOf(t.tenantId), before, `a refused ${shown} changed nothing`);
      }
    }
    console.log(`      (${refusedCount} of ${ADMIN_REQUESTS} refused)`);
  });

  it('stays healthy, still routes a real alert, and never logged a secret', async () => {
    assert.equal((await call(served.url, 'GET', '/healthz')).status, 200);
    assert.equal((await call(served.url, 'GET', '/readyz')).status, 200);
    const t = await tenant();
    const body = templateBody();
    assert.equal((await post(t, JSON.stringify(body))).status, 202);
    await waitFor(
      'the alert routed after the fuzz',
      async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId,
    );
    const text = lines.join('');
    assert.ok(lines.length > 0, 'the capture saw the fuzz');
    assert.ok(secrets.length >= 3, 'the tenants of this suite');
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret reached the logs');
  });
});
