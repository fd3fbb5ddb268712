// `npm run bench:alerts`: template webhooks at a steady rate over loopback into the real stack
// (Koa receiver → Temporal alert lifecycle runs → activities → PostgreSQL), with the Level
// simulator behind device lookups. Reports accept latency, alert-to-ticket latency, throughput
// and the floor (signalWithStart of an empty workflow at the same rate); fails on any lost alert
// or duplicate ticket. Settings: BENCH_ALERTS (2000), BENCH_RATE (100/s), BENCH_DEVICES (200),
// BENCH_FLOOD (0: bad-secret requests per second at one webhook id while the webhooks are sent)
// and BENCH_FLOOD_TARGET (`other`: another tenant's webhook; `same`: the bench's own). The topology
// (bench/alerts-stack.ts): BENCH_APIS API processes and BENCH_WORKERS workers (1 each by default;
// the webhooks alternate between the APIs), on the Temporal server BENCH_TEMPORAL names.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ALERT_EVENT_SIGNAL } from '../contracts/alerts';
import { AlertSchema, TicketSchema } from '../db/entities';
import { Fleet, startLevelSimulator } from '../simulator';
import { apiAs, call } from '../test/support/http';
import { createTenantWithToken } from '../db/tenants';
import { expectOk, runToEnd, sleepUntil, startAlertsStack, type AlertsStack } from './alerts-stack';
import { cpuSecondsBetween, cpuSecondsOf, cpuSecondsOfCommand, peakRssOf } from './cpu-usage';
import { alertSignalProbe, probeSignal } from './probe-workflow';
import { runStormProfile } from './storm-profile';
import { table } from './sync-harness';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const DUPLICATE_SHARE = 0.1;
const RESOLVED_SHARE = 0.1;
const FLOOD = Number(process.env.BENCH_FLOOD ?? 0);
const FLOOD_TARGET = process.env.BENCH_FLOOD_TARGET === 'same' ? 'same' : 'other';
const BASE = '/api/v1/integrations/level';

interface Send {
  body: Record<string, unknown>;
  kind: 'trigger' | 'duplicate' | 'resolve';
}

async function main(): Promise<void> {
  const started = Date.now();
  const env = await startAlertsStack();
  const fleet = new Fleet({ seed: 3 });
  fleet.addGroup({ id: 'be/nch+', name: 'Bench Co', parentId: null });
  const deviceIds = Array.from(
    { length: DEVICES },
    (_, i) => fleet.addDevice({ id: `dv/${i}+b`, hostname: `BENCH-${i}`, groupId: 'be/nch+' }).id,
  );
  const simulator = await startLevelSimulator({ fleet });
  try {
    // A tenant whose only group is mapped, with its devices synced (alerts then need no Level call).
    const tenant = await createTenantWithToken(env.orm.em.fork(), 'bench');
    const api = apiAs(env.apiUrl, tenant.token);
    await expectOk(api.put(BASE, { apiKey: simulator.apiKey, baseUrl: simulator.url }));
    await runToEnd(api, `${BASE}/discover-groups`);
    const client = await expectOk(api.post('/api/v1/clients', { name: 'Bench Co' }));
    await expectOk(api.put(`${BASE}/groups/${encodeURIComponent('be/nch+')}/mapping`, { clientId: client.id }));
    await runToEnd(api, `${BASE}/device-sync`);
    const card = await expectOk(api.get(`${BASE}/webhook?reveal=true`));
    const path = `/webhooks/level/${(card.url as string).split('/').pop()}`;
    const secret = card.header.value as string;
    const floodPath = FLOOD > 0 && FLOOD_TARGET === 'other' ? await otherWebhookPath(env, simulator) : path;
    console.log(
      `setup done in ${((Date.now() - started) / 1000).toFixed(1)} s (Temporal: ${env.temporalLabel}; ${env.apiUrls.length} API + ${env.pids.workers.length} worker processes); sending at ${RATE}/s${FLOOD > 0 ? `, flooding ${FLOOD_TARGET === 'same' ? 'the same' : 'another'} webhook at ${FLOOD}/s` : ''}`,
    );

    // The plan: every alert triggers once; 10% are delivered twice; 10% resolve later.
    const occurredAt = new Date().toISOString();
    const triggers: Send[] = Array.from({ length: ALERTS }, (_, i) => ({
      kind: 'trigger',
      body: {
        event: 'alert.triggered',
        alert_id: `ba/${i}+${randomUUID().slice(0, 8)}`,
        device_id: deviceIds[i % DEVICES],
        hostname: `BENCH-${i % DEVICES}`,
        group_id: 'be/nch+',
        name: `Bench check ${Math.floor(i / DEVICES)}`,
        severity: 'warning',
        description: 'Benchmark alert',
        occurred_at: occurredAt,
      },
    }));
    const plan: Send[] = [];
    const every = (share: number) => Math.round(1 / share);
    triggers.forEach((send, i) => {
      plan.push(send);
      const earlier = triggers[i - 20];
      if (earlier && i % every(DUPLICATE_SHARE) === 0) plan.push({ kind: 'duplicate', body: earlier.body });
      const older = triggers[i - 50];
      if (older && i % every(RESOLVED_SHARE) === 5)
        plan.push({
          kind: 'resolve',
          body: { ...older.body, event: 'alert.resolved', occurred_at: new Date(Date.now() + 60_000).toISOString() },
        });
    });

    const sentAt = new Map<string, number>();
    // A resolve goes out only once its trigger was accepted ("resolved later"); sent earlier it
    // would rightly end as an alert resolved before it triggered, without a ticket.
    const accepted = new Map<string, Promise<unknown>>();
    const acceptMs: number[] = [];
    /** The receiver's own time (Server-Timing), and where it made each event durable. */
    const serverMs: number[] = [];
    const recordedIn = new Map<string, number>();
    let refused = 0;
    let refusedTriggers = 0;
    const flood = FLOOD > 0 ? startFlood(`${env.apiUrl}${floodPath}`, FLOOD) : undefined;
    const cpuAtStart = cpuSnapshot(env);
    const t0 = Date.now();
    await Promise.all(
      plan.map(async (send, i) => {
        await sleepUntil(t0 + (i * 1000) / RATE);
        if (send.kind === 'resolve') await accepted.get(send.body.alert_id as string)?.catch(() => undefined);
        const begin = Date.now();
        // Deliveries alternate between the API processes, as a load balancer in front of them would.
        const request = call(env.apiUrls[i % env.apiUrls.length]!, 'POST', path, {
          rawBody: JSON.stringify(send.body),
          headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': secret },
        });
        if (send.kind === 'trigger') {
          sentAt.set(send.body.alert_id as string, begin);
          accepted.set(send.body.alert_id as string, request);
        }
        try {
          const answer = await request;
          acceptMs.push(Date.now() - begin);
          const timing = /accept;dur=([\d.]+);desc="(\w+)"/.exec(answer.headers.get('server-timing') ?? '');
          if (timing) {
            serverMs.push(Number(timing[1]));
            recordedIn.set(timing[2]!, (recordedIn.get(timing[2]!) ?? 0) + 1);
          }
          if (answer.status !== 202) throw new Error(`HTTP ${answer.status}`);
        } catch {
          // Refused, or overloaded beyond the client's connect timeout: counted, the run goes on.
          refused += 1;
          if (send.kind === 'trigger') refusedTriggers += 1;
        }
      }),
    );
    const sendSeconds = (Date.now() - t0) / 1000;
    const flooded = await flood?.stop();

    // Wait for every alert to be routed, then for the resolves.
    const resolvedIds = new Set(plan.filter((s) => s.kind === 'resolve').map((s) => s.body.alert_id as string));
    const em = () => env.orm.em.fork();
    const deadline = Date.now() + 300_000;
    for (;;) {
      const ticketed = await em().count(AlertSchema, { tenantId: tenant.tenantId, ticketId: { $ne: null } });
      const resolved = await em().count(AlertSchema, { tenantId: tenant.tenantId, status: 'resolved' });
      if ((ticketed >= ALERTS - refusedTriggers && resolved >= resolvedIds.size - refused) || Date.now() > deadline)
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const pipelineCpu = cpuSpent(cpuAtStart, cpuSnapshot(env));
    const pipelineSeconds = (Date.now() - t0) / 1000;
    const alerts = await em().find(
      AlertSchema,
      { tenantId: tenant.tenantId },
      { fields: ['levelAlertId', 'ticketId', 'status'] },
    );
    const tickets = await em().find(
      TicketSchema,
      { tenantId: tenant.tenantId },
      { fields: ['id', 'alertIds', 'occurrences', 'createdAt', 'status'] },
    );
    const ticketById = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    const toTicketMs: number[] = [];
    let lastTicketAt = 0;
    for (const alert of alerts) {
      const ticket = alert.ticketId ? ticketById.get(alert.ticketId) : undefined;
      const sent = sentAt.get(alert.levelAlertId);
      if (ticket && sent !== undefined) {
        toTicketMs.push(ticket.createdAt.getTime() - sent);
        lastTicketAt = Math.max(lastTicketAt, ticket.createdAt.getTime());
      }
    }
    // Lost: accepted (202) but never ticketed. A refused request is the sender's to retry (Level does).
    const lost = ALERTS - refusedTriggers - alerts.filter((a) => a.ticketId).length;
    const missing = triggers
      .map((s) => s.body.alert_id as string)
      .filter((id) => !alerts.find((a) => a.levelAlertId === id && a.ticketId));
    if (missing.length > 0)
      console.error(
        'alerts without a ticket:',
        missing.slice(0, 5).map((id) => ({ id, row: alerts.find((a) => a.levelAlertId === id) ?? null })),
      );
    const duplicateTickets =
      tickets.length -
      new Set(tickets.flatMap((t) => t.alertIds)).size +
      tickets.filter((t) => t.occurrences !== 1).length;
    const unresolved = [...resolvedIds].filter(
      (id) => alerts.find((a) => a.levelAlertId === id)?.status !== 'resolved',
    ).length;
    const processedPerSecond = alerts.length / ((lastTicketAt - t0) / 1000);

    // The floor: signalWithStart of an empty workflow at the same rate.
    const temporal = env.temporalClient;
    const floorMs: number[] = [];
    const handles: Array<{ result(): Promise<unknown> }> = [];
    const cpuAtFloor = cpuSnapshot(env);
    const f0 = Date.now();
    await Promise.all(
      plan.map(async (_send, i) => {
        await sleepUntil(f0 + (i * 1000) / RATE);
        const begin = Date.now();
        const handle = await temporal.workflow.signalWithStart(alertSignalProbe, {
          workflowId: `bench/floor/${randomUUID()}`,
          taskQueue: env.probeTaskQueue,
          signal: probeSignal,
          signalArgs: [{ kind: ALERT_EVENT_SIGNAL }],
        });
        floorMs.push(Date.now() - begin);
        handles.push(handle);
      }),
    );
    // Results are awaited a few at a time: thousands of long polls at once exceed the server's limit.
    for (let i = 0; i < handles.length; i += 20) await Promise.all(handles.slice(i, i + 20).map((h) => h.result()));
    const floorSeconds = (Date.now() - f0) / 1000;
    const floorPerSecond = plan.length / floorSeconds;
    const floorCpu = cpuSpent(cpuAtFloor, cpuSnapshot(env));

    const rows: Array<[string, string, string]> = [
      [
        'webhooks sent',
        `${plan.length} (${ALERTS} alerts, ${plan.filter((s) => s.kind === 'duplicate').length} duplicates, ${resolvedIds.size} resolves)`,
        `floor: ${plan.length} signalWithStart`,
      ],
      ['send duration', `${sendSeconds.toFixed(1)} s (${(plan.length / sendSeconds).toFixed(0)}/s offered)`, ''],
      [
        'accept latency p50 / p99',
        `${pct(acceptMs, 50)} / ${pct(acceptMs, 99)} ms`,
        `${pct(floorMs, 50)} / ${pct(floorMs, 99)} ms`,
      ],
      [
        'accept, in the receiver p50 / p99',
        `${pct(serverMs, 50)} / ${pct(serverMs, 99)} ms (${[...recordedIn].map(([where, n]) => `${n} ${where}`).join(', ')})`,
        '',
      ],
      ['alert-to-ticket p50 / p95', `${pct(toTicketMs, 50)} / ${pct(toTicketMs, 95)} ms`, ''],
      ['processed per second', `${processedPerSecond.toFixed(1)} alerts/s`, `${floorPerSecond.toFixed(1)} runs/s`],
      [
        'refused / lost / duplicate tickets',
        `${refused} / ${Math.max(0, lost)}${lost < 0 ? ` (${lost}: refused by the client, yet accepted)` : ''} / ${duplicateTickets}`,
        '',
      ],
      ['resolves not applied', `${unresolved}`, ''],
      ...(flooded
        ? [
            [
              'flood during the sends (bad secret, one address)',
              `${flooded.answered} answered of ${flooded.offered} (${flooded.perSecond.toFixed(0)}/s; ${Object.entries(
                flooded.byStatus,
              )
                .map(([status, n]) => `${n} × ${status}`)
                .join(', ')}), p50 / p99 ${flooded.p50.toFixed(1)} / ${flooded.p99.toFixed(1)} ms`,
              '',
            ] as [string, string, string],
          ]
        : []),
      [
        'worker / API peak RSS (whole bench)',
        `${env.pids.workers.map(rssMb).join(' + ')} / ${env.pids.apis.map(rssMb).join(' + ')}`,
        '',
      ],
    ];
    console.log(table(['metric', 'alerts pipeline', 'floor'], rows));
    console.log(
      `\nCPU seconds used while the phase ran (2 cores: ${(2 * pipelineSeconds).toFixed(0)} s available in the pipeline's ${pipelineSeconds.toFixed(1)} s, ${(2 * floorSeconds).toFixed(0)} s in the floor's ${floorSeconds.toFixed(1)} s)`,
    );
    console.log(
      table(
        ['process', 'alerts pipeline', 'per alert', 'floor', 'per run'],
        PROCESSES.map((name) => [
          name,
          `${pipelineCpu[name].toFixed(1)} s`,
          `${((pipelineCpu[name] / ALERTS) * 1000).toFixed(1)} ms`,
          `${floorCpu[name].toFixed(1)} s`,
          `${((floorCpu[name] / plan.length) * 1000).toFixed(1)} ms`,
        ]),
      ),
    );
    if (lost > 0 || duplicateTickets > 0 || (refused === 0 && unresolved > 0)) {
      console.error('FAILED: lost or duplicated events');
      process.exitCode = 1;
    }
  } finally {
    await simulator.close();
    await env.stop();
  }
}

/** Another tenant with a configured integration: the webhook the flood aims at. */
async function otherWebhookPath(env: AlertsStack, simulator: { apiKey: string; url: string }): Promise<string> {
  const other = await createTenantWithToken(env.orm.em.fork(), 'bench-flooded');
  const api = apiAs(env.apiUrl, other.token);
  await expectOk(api.put(BASE, { apiKey: simulator.apiKey, baseUrl: simulator.url }));
  const card = await expectOk(api.get(`${BASE}/webhook`));
  return `/webhooks/level/${(card.url as string).split('/').pop()}`;
}

interface FloodSummary {
  offered: number;
  skipped: number;
  answered: number;
  perSecond: number;
  byStatus: Record<string, number>;
  p50: number;
  p99: number;
}

/** The flood runs in its own process (bench/webhook-flood.ts) until stopped. */
function startFlood(url: string, rate: number): { stop(): Promise<FloodSummary> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'webhook-flood.ts'), url, String(rate)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(output.trim().split('\n').pop() ?? '{}') as FloodSummary;
    },
  };
}

const PROCESSES = [
  'Temporal server',
  'API (receiver + relay)',
  'worker',
  'PostgreSQL',
  'load generator (this process)',
  'total',
] as const;
type CpuSeconds = Record<(typeof PROCESSES)[number], number>;

interface CpuSnapshot {
  pids: Omit<CpuSeconds, 'PostgreSQL' | 'total'>;
  postgres: Map<number, number>;
}

function cpuSnapshot(env: AlertsStack): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    pids: {
      'Temporal server': env.pids.temporal === undefined ? 0 : cpuSecondsOf(env.pids.temporal),
      'API (receiver + relay)': sum(env.pids.apis.map(cpuSecondsOf)),
      // The floor's probe worker idles during the pipeline phase and does the floor's work after it.
      worker: sum(env.pids.workers.map(cpuSecondsOf)) + cpuSecondsOf(env.pids.probeWorker),
      'load generator (this process)': (own.user + own.system) / 1e6,
    },
    postgres: cpuSecondsOfCommand('postgres'),
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const rssMb = (pid: number) => `${(peakRssOf(pid) / 2 ** 20).toFixed(0)} MB`;

function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSeconds {
  const spent = { PostgreSQL: cpuSecondsBetween(before.postgres, after.postgres), total: 0 } as CpuSeconds;
  for (const key of Object.keys(after.pids) as Array<keyof CpuSnapshot['pids']>)
    spent[key] = after.pids[key] - before.pids[key];
  spent.total = PROCESSES.filter((name) => name !== 'total').reduce((sum, name) => sum + spent[name], 0);
  return spent;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// BENCH_PROFILE=storm: the noise-control profile (bench/storm-profile.ts) instead.
(process.env.BENCH_PROFILE === 'storm' ? runStormProfile() : main()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
