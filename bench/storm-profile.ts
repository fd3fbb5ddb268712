// `BENCH_PROFILE=storm npm run bench:alerts`: the noise-control profile (issue 15), run twice on
// one stack with the same traffic — once as today (plain: storm grouping off, the catch-all rule
// without a hold) and once with noise control (storm grouping on, threshold BENCH_STORM_THRESHOLD
// (10) alerts of a client within 5 minutes, the catch-all rule with holdMinutes 1). The traffic:
// BENCH_ALERTS (1000) alerts spread over many small clients (each below the threshold), with
// BENCH_STORM_BURSTS (2) bursts of BENCH_STORM_BURST (200) alerts from one client each (a site
// outage: every device of the client at once) mixed in, and every 5th alert a flap (resolved as
// soon as its trigger was accepted). Prints tickets opened per 1,000 alerts (the noise ratio) and
// processed alerts/s for both; the noise-control phase's processing window leaves out its 1-minute
// hold (every alert waits it out before routing, by design). Sent at BENCH_RATE (100/s).
import { randomUUID } from 'node:crypto';
import { AlertSchema, TicketSchema } from '../db/entities';
import { createTenantWithToken } from '../db/tenants';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../simulator';
import { apiAs, call } from '../test/support/http';
import { expectOk, runToEnd, sleepUntil, startAlertsStack, type AlertsStack } from './alerts-stack';
import { table } from './sync-harness';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const BURSTS = Number(process.env.BENCH_STORM_BURSTS ?? 2);
const BURST = Number(process.env.BENCH_STORM_BURST ?? 200);
const THRESHOLD = Number(process.env.BENCH_STORM_THRESHOLD ?? 10);
const FLAP_EVERY = 5;
const HOLD_MINUTES = 1;
/** Normal alerts per small client: well below the threshold, so normal traffic never storms. */
const PER_CLIENT = Math.max(1, Math.floor(THRESHOLD / 2));
const DEVICES_PER_CLIENT = 2;
const BASE = '/api/v1/integrations/level';

interface Planned {
  body: Record<string, unknown>;
  flap: boolean;
  burst: boolean;
}

interface PhaseResult {
  alerts: number;
  flaps: number;
  inBursts: number;
  ticketsOpened: number;
  stormTickets: number;
  groupedTickets: number;
  openTickets: number;
  dampened: number;
  onStormTickets: number;
  unfinished: number;
  refused: number;
  processedSeconds: number;
  sendSeconds: number;
}

export async function runStormProfile(): Promise<void> {
  const started = Date.now();
  const smallClients = Math.ceil(ALERTS / PER_CLIENT);
  const fleet = stormFleet(smallClients);
  const env = await startAlertsStack();
  const simulator = await startLevelSimulator({ fleet: fleet.fleet });
  try {
    const plain = await tenantFor(env, simulator, fleet, 'plain', null);
    const noiseControl = await tenantFor(env, simulator, fleet, 'noise-control', {
      enabled: true,
      threshold: THRESHOLD,
      windowMinutes: 5,
      groupBy: 'client',
    });
    console.log(
      `setup done in ${((Date.now() - started) / 1000).toFixed(1)} s (Temporal: ${env.temporalLabel}; ${apiUrlsOf(env).length} API process(es); ${smallClients} small clients, ${BURSTS} storm clients of ${BURST} devices); sending at ${RATE}/s`,
    );
    const plainResult = await runPhase(env, plain, plan(fleet), 0);
    const stormResult = await runPhase(env, noiseControl, plan(fleet), HOLD_MINUTES * 60);
    const perThousand = (r: PhaseResult) => ((r.ticketsOpened / r.alerts) * 1000).toFixed(0);
    const perSecond = (r: PhaseResult) => (r.alerts / r.processedSeconds).toFixed(1);
    console.log(
      table(
        ['metric', 'plain (as today)', `noise control (storm ${THRESHOLD}/5 min, hold ${HOLD_MINUTES} min)`],
        [
          [
            'alerts (flaps, in bursts)',
            `${plainResult.alerts} (${plainResult.flaps}, ${plainResult.inBursts})`,
            `${stormResult.alerts} (${stormResult.flaps}, ${stormResult.inBursts})`,
          ],
          [
            'tickets opened',
            `${plainResult.ticketsOpened}`,
            `${stormResult.ticketsOpened} (${stormResult.stormTickets} storm tickets; ${stormResult.groupedTickets} grouped into them)`,
          ],
          ['tickets opened per 1,000 alerts (noise ratio)', perThousand(plainResult), perThousand(stormResult)],
          ['tickets open at the end', `${plainResult.openTickets}`, `${stormResult.openTickets}`],
          [
            'alerts dampened / on a storm ticket',
            `${plainResult.dampened} / ${plainResult.onStormTickets}`,
            `${stormResult.dampened} / ${stormResult.onStormTickets}`,
          ],
          ['send duration', `${plainResult.sendSeconds.toFixed(1)} s`, `${stormResult.sendSeconds.toFixed(1)} s`],
          [
            'processed alerts/s',
            `${perSecond(plainResult)} (${plainResult.processedSeconds.toFixed(1)} s)`,
            `${perSecond(stormResult)} (${stormResult.processedSeconds.toFixed(1)} s after the hold)`,
          ],
          [
            'refused / unfinished',
            `${plainResult.refused} / ${plainResult.unfinished}`,
            `${stormResult.refused} / ${stormResult.unfinished}`,
          ],
        ],
      ),
    );
    const ratio = Number(perSecond(stormResult)) / Number(perSecond(plainResult));
    console.log(`\nprocessed alerts/s, noise control / plain: ${ratio.toFixed(2)} (goal: within 10%)`);
    if (plainResult.unfinished > 0 || stormResult.unfinished > 0) {
      console.error('FAILED: alerts left unfinished');
      process.exitCode = 1;
    }
  } finally {
    await simulator.close();
    await env.stop();
  }
}

interface StormFleet {
  fleet: Fleet;
  /** Each small client's group and its devices. */
  small: Array<{ groupId: string; devices: string[] }>;
  storm: Array<{ groupId: string; devices: string[] }>;
}

function stormFleet(smallClients: number): StormFleet {
  const fleet = new Fleet({ seed: 5 });
  const group = (id: string, devices: number) => {
    fleet.addGroup({ id, name: id, parentId: null });
    return {
      groupId: id,
      devices: Array.from(
        { length: devices },
        (_, i) => fleet.addDevice({ id: `${id}/d${i}`, hostname: `${id.toUpperCase()}-${i}`, groupId: id }).id,
      ),
    };
  };
  const small = Array.from({ length: smallClients }, (_, i) => group(`cl${i}`, DEVICES_PER_CLIENT));
  const storm = Array.from({ length: BURSTS }, (_, i) => group(`site${i}`, BURST));
  return { fleet, small, storm };
}

interface BenchTenant {
  tenantId: string;
  path: string;
  secret: string;
}

/** A tenant with every group mapped to a client of its own and the devices synced; storm settings as given. */
async function tenantFor(
  env: AlertsStack,
  simulator: LevelSimulator,
  fleet: StormFleet,
  name: string,
  storm: Record<string, unknown> | null,
): Promise<BenchTenant> {
  const tenant = await createTenantWithToken(env.orm.em.fork(), `bench-${name}`);
  const api = apiAs(env.apiUrl, tenant.token);
  await expectOk(api.put(BASE, { apiKey: simulator.apiKey, baseUrl: simulator.url }));
  await runToEnd(api, `${BASE}/discover-groups`);
  const groups = [...fleet.small, ...fleet.storm].map((g) => g.groupId);
  for (let i = 0; i < groups.length; i += 10) {
    await Promise.all(
      groups.slice(i, i + 10).map(async (groupId) => {
        const client = await expectOk(api.post('/api/v1/clients', { name: `Client ${groupId}` }));
        await expectOk(api.put(`${BASE}/groups/${encodeURIComponent(groupId)}/mapping`, { clientId: client.id }));
      }),
    );
  }
  await runToEnd(api, `${BASE}/device-sync`);
  if (storm) {
    await expectOk(api.put('/api/v1/alert-settings', { storm }));
    const rule = (await expectOk(api.get('/api/v1/alert-rules'))).items[0];
    await expectOk(
      api.put(`/api/v1/alert-rules/${rule.id}`, {
        name: rule.name,
        enabled: true,
        conditions: {},
        actions: { createTicket: true, autoResolveTicket: true, holdMinutes: HOLD_MINUTES },
      }),
    );
  }
  const card = await expectOk(api.get(`${BASE}/webhook?reveal=true`));
  return {
    tenantId: tenant.tenantId,
    path: `/webhooks/level/${(card.url as string).split('/').pop()}`,
    secret: card.header.value as string,
  };
}

/** Normal alerts over the small clients, with the bursts spread evenly through them; every 5th a flap. */
function plan(fleet: StormFleet): Planned[] {
  const trigger = (deviceId: string, hostname: string, groupId: string, name: string): Record<string, unknown> => ({
    event: 'alert.triggered',
    alert_id: `st/${randomUUID()}`,
    device_id: deviceId,
    hostname,
    group_id: groupId,
    name,
    severity: 'warning',
    description: 'Benchmark alert',
  });
  const normal = Array.from({ length: ALERTS }, (_, i) => {
    const client = fleet.small[Math.floor(i / PER_CLIENT) % fleet.small.length]!;
    const device = client.devices[i % client.devices.length]!;
    return { body: trigger(device, device, client.groupId, `Bench check ${i}`), burst: false };
  });
  const planned: Array<{ body: Record<string, unknown>; burst: boolean }> = [];
  const burstAt = new Set(fleet.storm.map((_, b) => Math.floor(((b + 1) * ALERTS) / (BURSTS + 1))));
  normal.forEach((alert, i) => {
    if (burstAt.has(i)) {
      const site = fleet.storm[[...burstAt].indexOf(i)]!;
      for (const device of site.devices)
        planned.push({ body: trigger(device, device, site.groupId, 'Ping loss'), burst: true });
    }
    planned.push(alert);
  });
  return planned.map((p, i) => ({ ...p, flap: i % FLAP_EVERY === FLAP_EVERY - 1 }));
}

/** Sends the plan (flaps resolved once their trigger was accepted), waits for every alert's end, and counts. */
async function runPhase(
  env: AlertsStack,
  tenant: BenchTenant,
  planned: Planned[],
  holdSeconds: number,
): Promise<PhaseResult> {
  let refused = 0;
  const t0 = Date.now();
  const post = (i: number, body: Record<string, unknown>) =>
    call(apiUrlsOf(env)[i % apiUrlsOf(env).length]!, 'POST', tenant.path, {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': tenant.secret },
    }).then(
      (answer) => answer.status === 202,
      () => false,
    );
  await Promise.all(
    planned.map(async (p, i) => {
      await sleepUntil(t0 + (i * 1000) / RATE);
      const now = new Date().toISOString();
      if (!(await post(i, { ...p.body, occurred_at: now }))) return void (refused += 1);
      if (
        p.flap &&
        !(await post(i + 1, {
          ...p.body,
          event: 'alert.resolved',
          occurred_at: new Date(Date.now() + 1).toISOString(),
        }))
      )
        refused += 1;
    }),
  );
  const sendSeconds = (Date.now() - t0) / 1000;
  const ids = planned.map((p) => p.body.alert_id as string);
  const flapIds = new Set(planned.filter((p) => p.flap).map((p) => p.body.alert_id as string));
  const em = () => env.orm.em.fork();
  // Done: every flap resolved (or dampened), every other alert on a ticket.
  const unfinishedNow = async () => {
    const rows = await em().find(
      AlertSchema,
      { tenantId: tenant.tenantId },
      { fields: ['levelAlertId', 'status', 'ticketId', 'updatedAt'] },
    );
    const byId = new Map(rows.map((row) => [row.levelAlertId, row]));
    const unfinished = ids.filter((id) => {
      const row = byId.get(id);
      if (!row) return true;
      return flapIds.has(id) ? row.status !== 'resolved' && row.status !== 'dampened' : !row.ticketId;
    }).length;
    return { unfinished, rows };
  };
  const deadline = Date.now() + holdSeconds * 1000 + 300_000;
  let state = await unfinishedNow();
  while (state.unfinished > refused && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    state = await unfinishedNow();
  }
  const lastUpdate = Math.max(...state.rows.map((row) => row.updatedAt.getTime()));
  const tickets = await em().find(
    TicketSchema,
    { tenantId: tenant.tenantId },
    { fields: ['id', 'kind', 'status', 'parentTicketId'] },
  );
  const stormIds = new Set(tickets.filter((t) => t.kind === 'storm').map((t) => t.id));
  return {
    alerts: planned.length,
    flaps: flapIds.size,
    inBursts: planned.filter((p) => p.burst).length,
    ticketsOpened: tickets.length,
    stormTickets: stormIds.size,
    groupedTickets: tickets.filter((t) => t.parentTicketId !== null && t.parentTicketId !== undefined).length,
    openTickets: tickets.filter((t) => t.status !== 'closed').length,
    dampened: state.rows.filter((row) => row.status === 'dampened').length,
    onStormTickets: state.rows.filter((row) => row.ticketId && stormIds.has(row.ticketId)).length,
    unfinished: state.unfinished,
    refused,
    processedSeconds: (lastUpdate - t0) / 1000 - holdSeconds,
    sendSeconds,
  };
}

/** Every API process of the stack (deliveries alternate between them), or its one API. */
function apiUrlsOf(env: AlertsStack): string[] {
  return (env as { apiUrls?: string[] }).apiUrls ?? [env.apiUrl];
}
