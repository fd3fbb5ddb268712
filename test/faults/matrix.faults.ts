// `npm run test:faults`: the fault matrix on the production topology (a real Temporal server on
// PostgreSQL, two API processes, two workers, the Level simulator). Each fault strikes while load
// flows; afterwards every 202 has its alert and exactly one ticket, no ticket or note is
// duplicated, the inbox drains, every sync ends with the expected asset set, and no process
// logged a secret. Prints one table: fault, events offered / accepted / lost / duplicated, time to
// recover. Sizes: FAULTS_EVENTS (default 120 per fault) and FAULTS_DEVICES (default 2,000); the
// outages: FAULTS_TEMPORAL_DOWN_MS and FAULTS_DB_DOWN_MS (default 10 s each).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTenantWithToken } from '../../db/tenants';
import { generateFleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { alertFleet, ACME_DEVICE, ACME_GROUP, templateBody } from '../alerts/fixture';
import { apiAs, call } from '../support/http';
import { startTopology, type ServiceProcess, type Topology } from './topology';

const EVENTS = Number(process.env.FAULTS_EVENTS ?? 120);
const DEVICES = Number(process.env.FAULTS_DEVICES ?? 2000);
const DB_DOWN_MS = Number(process.env.FAULTS_DB_DOWN_MS ?? 10_000);
// An API killed mid-accept leaves `sending` rows that the relay takes over after 45 s; the limit is
// generous, for a slow machine.
const RECOVERY_LIMIT_MS = 240_000;
const BASE = '/api/v1/integrations/level';

interface Row {
  fault: string;
  offered: number;
  accepted: number;
  lost: number;
  duplicated: number;
  recoverMs: number;
}

interface FaultTenant {
  tenantId: string;
  token: string;
  webhookId: string;
  secret: string;
  api: ReturnType<typeof apiAs>;
}

describe('fault matrix (real Temporal server, 2 APIs, 2 workers)', function () {
  this.timeout(1_800_000);
  let topology: Topology;
  let simulator: LevelSimulator;
  const rows: Row[] = [];
  const secrets: string[] = [];

  before(async () => {
    topology = await startTopology();
    simulator = await startLevelSimulator({ fleet: alertFleet() });
  });

  after(async () => {
    console.log(table(rows));
    await simulator?.close();
    await topology?.stop();
    // What each process wrote (LOG_LEVEL=warn: warnings and errors), to read after a failure.
    const logs = join(__dirname, '..', '..', '.data', 'faults-logs');
    mkdirSync(logs, { recursive: true });
    for (const p of [...(topology?.apis ?? []), ...(topology?.workers ?? [])])
      writeFileSync(join(logs, `${p.name}.log`), p.output.join(''));
  });

  /** A tenant of its own per fault, so its counts are exact; Acme's group mapped to a client. */
  async function faultTenant(
    level: LevelSimulator = simulator,
    mapGroup = ACME_GROUP,
  ): Promise<FaultTenant & { clientId: string }> {
    const { tenantId, token } = await createTenantWithToken(
      topology.orm.em.fork(),
      `Faults ${randomUUID().slice(0, 8)}`,
    );
    const api = apiAs(topology.apis[0]!.url!, token);
    assert.equal((await api.put(BASE, { apiKey: level.apiKey, baseUrl: level.url })).status, 200);
    const discovered = await api.post(`${BASE}/discover-groups?wait=true`);
    assert.equal(discovered.body.status, 'completed', JSON.stringify(discovered.body));
    const clientId = (await api.post('/api/v1/clients', { name: 'Acme' })).body.id as string;
    assert.equal((await api.put(`${BASE}/groups/${encodeURIComponent(mapGroup)}/mapping`, { clientId })).status, 200);
    const card = (await api.get(`${BASE}/webhook?reveal=true`)).body;
    secrets.push(token, card.header.value, level.apiKey);
    return {
      tenantId,
      token,
      api,
      clientId,
      webhookId: (card.url as string).split('/').pop()!,
      secret: card.header.value as string,
    };
  }

  /** POSTs one body to one API; null when the connection failed (the process was down). */
  async function deliver(apiProcess: ServiceProcess, t: FaultTenant, body: unknown): Promise<number | null> {
    try {
      const answer = await call(apiProcess.url!, 'POST', `/webhooks/level/${t.webhookId}`, {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
      });
      return answer.status;
    } catch {
      return null;
    }
  }

  /**
   * Delivers one body as Level does: to the API it is sent to, and again (to either API, after a
   * pause) while the answer is no answer, a 5xx or a 429, up to five times. The answers.
   */
  async function deliverLikeLevel(first: ServiceProcess, t: FaultTenant, body: unknown): Promise<Array<number | null>> {
    const answers: Array<number | null> = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const status = await deliver(attempt === 0 ? first : topology.apis[attempt % 2]!, t, body);
      answers.push(status);
      if (status !== null && status < 500 && status !== 429) break;
      await new Promise((done) => setTimeout(done, 1000 * (attempt + 1)));
    }
    return answers;
  }

  /** Sends `count` distinct alerts at about 40/s over both APIs; `midway` runs at the half. */
  async function burst(
    t: FaultTenant,
    count: number,
    midway: () => Promise<void> | void,
  ): Promise<{ accepted: Set<string>; refused: Array<number | null>; retried: number; faultAt: number }> {
    const accepted = new Set<string>();
    // The last answer of each event Level gave up on (after its five tries).
    const refused: Array<number | null> = [];
    let retried = 0;
    let faultAt = Date.now();
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < count; i += 1) {
      if (i === Math.floor(count / 2)) {
        faultAt = Date.now();
        pending.push(Promise.resolve(midway()));
      }
      const body = templateBody({
        alert_id: `fault-${randomUUID()}`,
        name: `Fault alert ${i}`,
        device_id: ACME_DEVICE,
      });
      pending.push(
        deliverLikeLevel(topology.apis[i % 2]!, t, body).then((answers) => {
          if (answers.length > 1) retried += 1;
          if (answers.at(-1) === 202) accepted.add(body.alert_id as string);
          else refused.push(answers.at(-1)!);
        }),
      );
      await new Promise((done) => setTimeout(done, 25));
    }
    await Promise.all(pending);
    return { accepted, refused, retried, faultAt };
  }

  /** Waits until every accepted alert has exactly its ticket and the inbox is empty; the counts. */
  async function settle(
    t: FaultTenant,
    accepted: Set<string>,
    since: number,
  ): Promise<{ lost: number; duplicated: number; recoverMs: number }> {
    const knex = topology.orm.em.fork().getKnex();
    const deadline = Date.now() + RECOVERY_LIMIT_MS;
    for (;;) {
      const routed = await knex('alerts')
        .where({ tenant_id: t.tenantId })
        .whereNotNull('ticket_id')
        .pluck('level_alert_id');
      const queued = Number(
        (
          await knex('webhook_inbox')
            .where({ tenant_id: t.tenantId })
            .whereIn('status', ['pending', 'sending'])
            .count({ n: '*' })
        )[0]!.n,
      );
      const missing = [...accepted].filter((id) => !routed.includes(id));
      if ((missing.length === 0 && queued === 0) || Date.now() > deadline) {
        // Each alert has its own name, so its own ticket: more tickets than alerts is a duplicate.
        const tickets = Number((await knex('tickets').where({ tenant_id: t.tenantId }).count({ n: '*' }))[0]!.n);
        const alertsWithTickets = Number(
          (await knex('alerts').where({ tenant_id: t.tenantId }).whereNotNull('ticket_id').count({ n: '*' }))[0]!.n,
        );
        const repeatedNotes = await knex('ticket_notes')
          .where({ tenant_id: t.tenantId })
          .select('ticket_id', 'body')
          .count({ n: '*' })
          .groupBy('ticket_id', 'body')
          .havingRaw('count(*) > 1');
        return {
          lost: missing.length + queued,
          duplicated: Math.max(0, tickets - alertsWithTickets) + repeatedNotes.length,
          recoverMs: Date.now() - since,
        };
      }
      await new Promise((done) => setTimeout(done, 500));
    }
  }

  /**
   * A burst with `strike` at its half. Every event ends accepted — or, with `mayRefuse`, refused
   * with a 503 that Level was still getting at its last try (offered, refused: not lost, since
   * Level knows it was not taken). Every accepted one gets its alert and exactly one ticket.
   */
  async function alertFault(
    fault: string,
    strike: () => Promise<void> | void,
    options: { mayRefuse?: boolean } = {},
  ): Promise<void> {
    const t = await faultTenant();
    const { accepted, refused, retried, faultAt } = await burst(t, EVENTS, strike);
    const outcome = await settle(t, accepted, faultAt);
    const notes = [
      retried > 0 ? `${retried} retried` : '',
      refused.length > 0 ? `${refused.length} refused ${[...new Set(refused)].join('/')} at Level's 5th try` : '',
    ].filter(Boolean);
    rows.push({
      fault: notes.length > 0 ? `${fault} (${notes.join(', ')})` : fault,
      offered: EVENTS,
      accepted: accepted.size,
      ...outcome,
    });
    if (options.mayRefuse) {
      assert.ok(retried > 0, `${fault}: no delivery met the fault`);
      assert.deepEqual(
        [...new Set(refused)].filter((status) => status !== 503),
        [],
        `${fault}: events not taken are answered 503`,
      );
      assert.equal(accepted.size + refused.length, EVENTS);
    } else {
      assert.equal(accepted.size, EVENTS, `${fault}: every event accepted (after Level's retries)`);
    }
    assert.equal(outcome.lost, 0, `${fault}: lost`);
    assert.equal(outcome.duplicated, 0, `${fault}: duplicated`);
    assertNoCrash(fault);
  }

  /** No API or worker process ended by itself (the faults the matrix kills on purpose aside). */
  function assertNoCrash(fault: string): void {
    const crashes = [...topology.apis, ...topology.workers].map((p) => p.unexpectedExit()).filter(Boolean);
    assert.deepEqual(crashes, [], `${fault}: a process died`);
  }

  /**
   * A device sync of DEVICES devices (a fleet of its own, one mapped root group) with `strike`
   * once a third of its pages are fetched. It must end with exactly the fleet's devices as assets,
   * each created once and none failed.
   */
  async function syncFault(
    fault: string,
    strike: (level: LevelSimulator) => Promise<void> | void,
  ): Promise<LevelSimulator> {
    const fleetSimulator = await startLevelSimulator({
      fleet: generateFleet({ seed: 5, groups: 1, depth: 1, devices: DEVICES }),
    });
    try {
      fleetSimulator.latencyMs = 40;
      const rootGroup = fleetSimulator.fleet.sortedGroupIds()[0]!;
      const t = await faultTenant(fleetSimulator, rootGroup);
      const started = await t.api.post(`${BASE}/device-sync`);
      const workflowId = started.body.workflowId as string;
      const pages = Math.ceil(DEVICES / 100);
      while (fleetSimulator.stats.countUnder('/v2/devices') < pages / 3)
        await new Promise((done) => setTimeout(done, 50));
      const faultAt = Date.now();
      const pagesBefore = fleetSimulator.stats.countUnder('/v2/devices');
      await strike(fleetSimulator);
      const knex = topology.orm.em.fork().getKnex();
      const assetSet = async () => {
        const assets = await knex('assets').where({ tenant_id: t.tenantId, archived: false }).pluck('level_device_id');
        const expected = new Set(fleetSimulator.fleet.sortedDeviceIds());
        const missing = [...expected].filter((id) => !assets.includes(id)).length;
        const duplicated = assets.length - new Set(assets).size + assets.filter((id) => !expected.has(id)).length;
        return { accepted: assets.length, lost: missing, duplicated };
      };
      let result: { created: number; updated: number; failed: number };
      try {
        result = (await topology.temporal.workflow.getHandle(workflowId).result()) as typeof result;
      } catch (err) {
        rows.push({
          fault: `${fault}: sync FAILED`,
          offered: DEVICES,
          ...(await assetSet()),
          recoverMs: Date.now() - faultAt,
        });
        throw err;
      }
      const recoverMs = Date.now() - faultAt;
      const outcome = await assetSet();
      const runs = await knex('sync_runs').where({ tenant_id: t.tenantId }).pluck('status');
      rows.push({ fault, offered: DEVICES, ...outcome, recoverMs });
      assert.ok(pagesBefore < pages, `${fault}: the fault struck mid-sync (${pagesBefore} of ${pages} pages fetched)`);
      // Pages an interrupted attempt wrote before its last heartbeat are written again, and still
      // counted as created once (db/asset-writer.ts), never a second asset.
      assert.equal(result.failed, 0, `${fault}: ${JSON.stringify(result)}`);
      assert.equal(result.created, DEVICES, `${fault}: ${JSON.stringify(result)}`);
      assert.equal(outcome.lost, 0, `${fault}: lost`);
      assert.equal(outcome.duplicated, 0, `${fault}: duplicated`);
      assert.deepEqual(runs, ['completed'], `${fault}: the run's record`);
      assertNoCrash(fault);
      return fleetSimulator;
    } finally {
      await fleetSimulator.close();
    }
  }

  it('SIGKILL a worker during an alert burst', async () => {
    await alertFault('worker SIGKILL during alert burst', async () => {
      topology.workers[0]!.kill();
      await topology.workers[0]!.restart();
    });
  });

  it('SIGKILL an API process during a webhook burst', async () => {
    await alertFault('API SIGKILL during webhook burst', async () => {
      topology.apis[0]!.kill();
      await topology.apis[0]!.restart();
    });
  });

  it('stop the Temporal server during a burst, then start it again', async () => {
    const downMs = Number(process.env.FAULTS_TEMPORAL_DOWN_MS ?? 10_000);
    await alertFault(`Temporal down ${downMs / 1000} s during burst`, () => topology.temporalOutage(downMs));
  });

  it('PostgreSQL goes away (every connection cut, new ones refused) during a webhook burst', async () => {
    const before = { ...topology.databaseProxy.stats };
    await alertFault(`PostgreSQL down ${DB_DOWN_MS / 1000} s during burst`, () => topology.databaseOutage(DB_DOWN_MS), {
      mayRefuse: true,
    });
    assert.ok(topology.databaseProxy.stats.dropped > before.dropped, 'the outage cut live connections');
  });

  it('the same events to both APIs at the same instant, duplicated and out of order', async () => {
    const t = await faultTenant();
    const triggers = Array.from({ length: EVENTS / 2 }, (_, i) =>
      templateBody({ alert_id: `twin-${randomUUID()}`, name: `Twin alert ${i}`, device_id: ACME_DEVICE }),
    );
    // Every other alert also resolves a second later at Level, and that resolve races its trigger.
    const resolves = new Map(
      triggers
        .filter((_, i) => i % 2 === 1)
        .map((body) => [
          body.alert_id as string,
          {
            ...body,
            event: 'alert.resolved',
            occurred_at: new Date(Date.parse(body.occurred_at as string) + 1000).toISOString(),
          },
        ]),
    );
    const started = Date.now();
    const accepted = new Set<string>();
    await Promise.all(
      triggers.map(async (body, i) => {
        await new Promise((done) => setTimeout(done, i * 20));
        const resolve = resolves.get(body.alert_id as string);
        // Twice to each API at once (four copies racing), the resolve to both as well.
        const copies = [0, 1, 0, 1].map((a) => deliver(topology.apis[a]!, t, body));
        if (resolve) copies.push(deliver(topology.apis[1]!, t, resolve), deliver(topology.apis[0]!, t, resolve));
        const answers = await Promise.all(copies);
        if (answers.every((status) => status === 202)) accepted.add(body.alert_id as string);
      }),
    );
    const open = new Set([...accepted].filter((id) => !resolves.has(id)));
    const outcome = await settle(t, open, started);
    // A resolved alert ends resolved whichever copy came first, with no ticket left open.
    const knex = topology.orm.em.fork().getKnex();
    const resolvedRows = () =>
      knex('alerts')
        .where({ tenant_id: t.tenantId, status: 'resolved' })
        .whereIn('level_alert_id', [...resolves.keys()])
        .select('status', 'ticket_id');
    const deadline = Date.now() + RECOVERY_LIMIT_MS;
    while ((await resolvedRows()).length < resolves.size && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 500));
    const resolved = await resolvedRows();
    const openTickets = await knex('tickets')
      .where({ tenant_id: t.tenantId })
      .whereIn('id', resolved.map((r) => r.ticket_id).filter(Boolean))
      .whereNot({ status: 'closed' })
      .count({ n: '*' });
    rows.push({
      fault: 'twin deliveries to both APIs, resolves racing triggers',
      offered: triggers.length * 4 + resolves.size * 2,
      accepted: accepted.size,
      ...outcome,
    });
    assert.equal(accepted.size, triggers.length);
    assert.equal(outcome.lost, 0);
    assert.equal(outcome.duplicated, 0);
    assert.deepEqual([...new Set(resolved.map((r) => r.status as string))], ['resolved']);
    assert.equal(resolved.length, resolves.size);
    assert.equal(Number(openTickets[0]!.n), 0, 'no ticket of a resolved alert stays open');
  });

  it('SIGKILL both workers in the middle of a device sync', async () => {
    await syncFault(`both workers SIGKILL mid-sync (${DEVICES} devices)`, async () => {
      for (const worker of topology.workers) worker.kill();
      await Promise.all(topology.workers.map((worker) => worker.restart()));
    });
  });

  it('PostgreSQL goes away (every connection cut, new ones refused) in the middle of a device sync', async () => {
    const before = { ...topology.databaseProxy.stats };
    await syncFault(`PostgreSQL down ${DB_DOWN_MS / 1000} s mid-sync (${DEVICES} devices)`, () =>
      topology.databaseOutage(DB_DOWN_MS),
    );
    assert.ok(topology.databaseProxy.stats.dropped > before.dropped, 'the outage cut live connections');
  });

  it('Level answers a 429 storm, a 5xx burst, HTML pages and 10-second stalls during a device sync', async () => {
    // One after another on the sync's next requests, 19 bad answers in a row: more than the
    // client's five tries a request, so chunk attempts fail too and Temporal retries them from
    // their checkpoint. A stall is a request Level never answers, cut by the client's 10 s timeout.
    const faults = [
      { status: 429, retryAfterSeconds: 1, times: 8, pathPrefix: '/v2/devices' },
      { status: 503, times: 6, pathPrefix: '/v2/devices' },
      { kind: 'html', status: 200, times: 3, pathPrefix: '/v2/devices' },
      { kind: 'hang', times: 2, pathPrefix: '/v2/devices' },
    ] as const;
    const level = await syncFault(
      `Level 8×429, 6×503, 3×HTML 200, 2×10 s stall mid-sync (${DEVICES} devices)`,
      (simulator) => {
        for (const fault of faults) simulator.faults.inject(fault);
      },
    );
    assert.equal(level.faults.pending, 0, 'every Level fault fired');
  });

  it('no process logged a secret', () => {
    const output = [...topology.apis, ...topology.workers].flatMap((p) => p.output).join('');
    for (const secret of [...secrets, topology.masterKey])
      assert.ok(!output.includes(secret), 'a secret reached a process log');
  });
});

function table(rows: Row[]): string {
  const header = ['fault', 'offered', 'accepted', 'lost', 'duplicated', 'recovered in'];
  const lines = rows.map((r) => [
    r.fault,
    String(r.offered),
    String(r.accepted),
    String(r.lost),
    String(r.duplicated),
    `${(r.recoverMs / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return ['', format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format), ''].join('\n');
}
