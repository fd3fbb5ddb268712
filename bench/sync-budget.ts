// The budget-bound case of `npm run bench:sync` (BENCH_BUDGET=<requests per minute>, e.g. 100,
// Level's real limit): a full sync's wall time against the physical limit the shared request
// budget sets, alone and while alert webhooks of the same tenant spend the same budget.
//
// The worker runs with LEVEL_REQUESTS_PER_MINUTE=<budget>, the simulator enforces the same limit
// per API key as Level does (429 beyond it, a minute's worth of burst) and keeps the time and path
// of every request. Two fresh tenants on the same fleet, every root group mapped:
//   1. sync alone;
//   2. sync while Level fires alerts at BENCH_WEBHOOKS_PER_MINUTE (12) random devices: each is a
//      new active alert in the simulator and the automation's HTTP request action posting the
//      webhook card's payload template (`device_alert`, device variables only) to an API process,
//      as Level does. Each such nudge costs two Level requests (the device's active and resolved
//      alerts), one more when the device's asset is not synced yet (the device), and the ticket's
//      health note reads the device too (one request, reused for 5 minutes per device);
//   3. after that, with the budget idle again, a few more alerts the same way (the reference
//      latency; their devices are synced by then).
// Before each sync the bench waits until the integration's bucket is full, so the sync starts with
// the burst: limit = (requests during the sync − burst) ÷ rate, and plain requests ÷ rate.
import { freePort } from '../devserver/free-port';
import type { Orm } from '../db/orm';
import { apiAs } from '../test/support/http';
import { DEVICE_SYNC_WORKFLOW } from '../contracts/workflows';
import type { DeviceSyncResult } from '../workflows/device-sync';
import { startProcess, waitUntilReady } from './alerts-stack';
import type { FireMessage, SimulatorChildMessage } from './sync-simulator';
import {
  countAssets,
  fmt,
  log,
  pct,
  prepareTenant,
  seconds,
  startWorkflow,
  table,
  type BenchTenant,
  type Context,
  type GroupRow,
} from './sync-harness';

const WEBHOOKS_PER_MINUTE = Number(process.env.BENCH_WEBHOOKS_PER_MINUTE ?? 12);
const IDLE_ALERTS = 5;
const IDLE_SPACING_MS = 5_000;
const TICKET_WAIT_MS = 5 * 60_000;
const GOAL = 0.05;

export interface BudgetBenchOptions {
  requestsPerMinute: number;
  databaseUrl: string;
  temporalAddress: string;
  masterKey: string;
  devices: number;
  groups: number;
}

interface Fired {
  alertId: string;
  sentAt: number;
  acceptMs: number;
  status: number;
  toTicketMs: number | null;
  /** The ticket's health note (workflows/health-notes.ts): read from Level, or 'Health unavailable'. */
  health: { read: boolean; toNoteMs: number } | null;
}

interface PhaseResult {
  label: string;
  wallMs: number;
  result: DeviceSyncResult;
  assets: number;
  /** Tokens in the integration's bucket when the sync started (the bench waits for a full one). */
  tokensAtStart: number;
  /** At the simulator, from the sync's start to its end. */
  during: RequestCounts;
  /** At the simulator, from the sync's start until Level was asked nothing for 3 s after the last ticket. */
  overall: RequestCounts;
  /** Requests in each minute from the sync's start (the last one partial). */
  perMinute: number[];
  /** Most requests in any 60-s window of the phase. */
  maxPerSlidingMinute: number;
  /** Level's 429s during the phase. */
  rateLimited: number;
  /** Devices read from Level for a health note during the phase (device_health_readings). */
  healthReadings: number;
  webhooks: Fired[];
}

interface RequestCounts {
  syncPages: number;
  alertLists: number;
  deviceLookups: number;
  other: number;
  total: number;
}

export interface BudgetSizeResult {
  devices: number;
  groups: number;
  requestsPerMinute: number;
  burst: number;
  alone: PhaseResult;
  shared: PhaseResult | null;
  idle: PhaseResult | null;
}

type Trace = Array<[number, string]>;

export async function budgetBench(ctx: Context, options: BudgetBenchOptions): Promise<BudgetSizeResult> {
  const rate = options.requestsPerMinute;
  // As db/postgres-request-budget.ts sizes the bucket when the caller names no burst (activities/level-access.ts does not).
  const burst = Math.max(1, Math.floor(rate / 4));
  const port = await freePort();
  const api = startProcess('api/main.ts', {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: ctx.taskQueue,
    MASTER_KEY: options.masterKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LEVEL_REQUESTS_PER_MINUTE: String(rate),
    LEVEL_ALLOWED_HOSTS: new URL(ctx.level.url).host,
  });
  try {
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(apiUrl);
    const allRoots = (rows: GroupRow[]) => rows.filter((g) => g.parentId === null);
    const aloneTenant = await prepareTenant(ctx, 'budget: sync alone', allRoots);
    const sharedTenant = await prepareTenant(ctx, 'budget: sync and webhooks', allRoots);
    log(
      `budget ${rate}/min (burst ${burst}): ${fmt(aloneTenant.inScope)} devices in scope, ${aloneTenant.roots.length} sync roots`,
    );

    const alone = await phase(ctx, aloneTenant, { rate, burst, label: 'sync alone', fire: null, sync: true });
    log(`  sync alone: ${seconds(alone.wallMs)}, ${alone.during.total} requests`);
    if (WEBHOOKS_PER_MINUTE <= 0)
      return {
        devices: options.devices,
        groups: options.groups,
        requestsPerMinute: rate,
        burst,
        alone,
        shared: null,
        idle: null,
      };

    const fire = await webhookFor(apiUrl, sharedTenant);
    const shared = await phase(ctx, sharedTenant, {
      rate,
      burst,
      label: `sync + ${WEBHOOKS_PER_MINUTE} alert webhooks/min`,
      fire,
      sync: true,
    });
    log(
      `  sync + webhooks: ${seconds(shared.wallMs)}, ${shared.during.total} requests, ${shared.webhooks.length} webhooks`,
    );
    const idle = await phase(ctx, sharedTenant, {
      rate,
      burst,
      label: `${IDLE_ALERTS} alert webhooks, budget idle`,
      fire,
      sync: false,
    });
    log(`  idle-budget webhooks: ${idle.webhooks.map((w) => w.toTicketMs).join(', ')} ms to their tickets`);
    return { devices: options.devices, groups: options.groups, requestsPerMinute: rate, burst, alone, shared, idle };
  } finally {
    await api.stop();
  }
}

/** How Level posts to the tenant's webhook: the card's URL, header and payload template, unchanged. */
async function webhookFor(apiUrl: string, tenant: BenchTenant): Promise<Omit<FireMessage, 'alertName'>> {
  const card = await apiAs(apiUrl, tenant.token).get('/api/v1/integrations/level/webhook?reveal=true');
  if (card.status !== 200) throw new Error(`webhook card: HTTP ${card.status} ${JSON.stringify(card.body)}`);
  const webhookId = (card.body.url as string).split('/').pop()!;
  return {
    type: 'fire',
    url: `${apiUrl}/webhooks/level/${webhookId}`,
    headers: { [card.body.header.name as string]: card.body.header.value as string },
    body: card.body.payloadTemplate as Record<string, unknown>,
  };
}

interface PhaseOptions {
  rate: number;
  burst: number;
  label: string;
  /** Level's webhook for this tenant; null: no webhooks. */
  fire: Omit<FireMessage, 'alertName'> | null;
  /** false: no sync, a few webhooks with the budget idle. */
  sync: boolean;
}

async function phase(ctx: Context, tenant: BenchTenant, options: PhaseOptions): Promise<PhaseResult> {
  const tokensAtStart = await waitForFullBucket(ctx.orm, tenant.input.integrationId, options.rate, options.burst);
  const statsBefore = await simulatorStats(ctx);
  const fired: Array<Promise<Extract<SimulatorChildMessage, { type: 'fired' }>>> = [];
  const fireOne = () => {
    const message: FireMessage = { ...options.fire!, alertName: `Bench budget alert ${fired.length + 1}` };
    fired.push(ctx.simulator.request<Extract<SimulatorChildMessage, { type: 'fired' }>>(message, 'fired'));
  };

  const t0 = Date.now();
  let wallMs = 0;
  let result: DeviceSyncResult | null = null;
  if (options.sync) {
    const handle = await startWorkflow(ctx, DEVICE_SYNC_WORKFLOW, 'device-sync', tenant.input);
    // Webhooks at a steady pace while the sync runs, the first half an interval in.
    let syncDone = false;
    const interval = 60_000 / WEBHOOKS_PER_MINUTE;
    const sender = (async () => {
      if (!options.fire) return;
      for (let i = 0; ; i++) {
        await sleepUntil(t0 + interval / 2 + i * interval, () => syncDone);
        if (syncDone) return;
        fireOne();
      }
    })();
    result = (await handle.result()) as DeviceSyncResult;
    wallMs = Date.now() - t0;
    syncDone = true;
    await sender;
  } else {
    for (let i = 0; i < IDLE_ALERTS; i++) {
      await sleepUntil(t0 + i * IDLE_SPACING_MS);
      fireOne();
    }
  }
  const syncEnd = t0 + wallMs;
  const webhooks = await ticketsFor(ctx.orm, tenant.tenantId, await Promise.all(fired));
  const assets = await countAssets(ctx.orm, tenant.tenantId);
  if (options.sync && (result!.failed > 0 || assets !== tenant.inScope))
    throw new Error(
      `${options.label}: ${assets} assets for ${tenant.inScope} devices in scope, ${result!.failed} failed`,
    );

  // A device reconcile may still read the device's resolved alerts after its ticket: wait for quiet.
  const inPhase = (await quietTrace(ctx)).filter(([at]) => at >= t0);
  const statsAfter = await simulatorStats(ctx);
  const readings = await ctx.orm.em
    .fork()
    .getKnex()('device_health_readings')
    .where({ tenant_id: tenant.tenantId })
    .andWhere('fetched_at', '>=', new Date(t0))
    .count<Array<{ count: string }>>({ count: '*' });
  return {
    label: options.label,
    wallMs,
    result: result ?? ({} as DeviceSyncResult),
    assets,
    tokensAtStart,
    during: countRequests(inPhase.filter(([at]) => at <= syncEnd)),
    overall: countRequests(inPhase),
    perMinute: perMinute(inPhase, t0),
    maxPerSlidingMinute: maxInWindow(
      inPhase.map(([at]) => at),
      60_000,
    ),
    rateLimited: statsAfter.rateLimited - statsBefore.rateLimited,
    healthReadings: Number(readings[0]?.count ?? 0),
    webhooks,
  };
}

/**
 * Waits until the integration's token bucket is full again (db/postgres-request-budget.ts: one
 * row, refilled at `rate` per minute up to `burst`), so each phase starts alike; returns the
 * tokens it then holds, as the database computes them.
 */
async function waitForFullBucket(orm: Orm, integrationId: string, rate: number, burst: number): Promise<number> {
  const knex = orm.em.fork().getKnex();
  const tokensNow = async () => {
    const rows = await knex.raw<{ rows: Array<{ tokens: number }> }>(
      `select least(?::float8, tokens + extract(epoch from clock_timestamp() - refilled_at) * ?::float8) as tokens from level_request_budgets where integration_id = ?`,
      [burst, rate / 60, integrationId],
    );
    return rows.rows[0] ? Number(rows.rows[0].tokens) : burst;
  };
  const missing = burst - (await tokensNow());
  if (missing > 0) await new Promise((resolve) => setTimeout(resolve, (missing / (rate / 60)) * 1000 + 500));
  return tokensNow();
}

/**
 * The fired alerts' tickets and their health notes: alert-to-ticket = the ticket's creation − the
 * time the webhook was sent; the health note follows the ticket (it waits for the budget too).
 */
async function ticketsFor(
  orm: Orm,
  tenantId: string,
  fired: Array<Extract<SimulatorChildMessage, { type: 'fired' }>>,
): Promise<Fired[]> {
  const ids = fired.map((f) => f.alertId);
  const knex = orm.em.fork().getKnex();
  const load = async () => {
    if (ids.length === 0) return [];
    return knex('alerts as a')
      .leftJoin('tickets as t', 't.id', 'a.ticket_id')
      .leftJoin('ticket_notes as n', (on) =>
        on
          .on('n.ticket_id', '=', 't.id')
          .andOn(knex.raw("(n.body like 'Device health from Level%' or n.body like 'Health unavailable%')")),
      )
      .where('a.tenant_id', tenantId)
      .whereIn('a.level_alert_id', ids)
      .select<
        Array<{
          level_alert_id: string;
          ticket_at: string | Date | null;
          note_at: string | Date | null;
          note: string | null;
        }>
      >('a.level_alert_id', 't.created_at as ticket_at', 'n.created_at as note_at', 'n.body as note');
  };
  let deadline = Date.now() + TICKET_WAIT_MS;
  let rows = await load();
  const ticketed = () => rows.length >= ids.length && rows.every((r) => r.ticket_at !== null);
  while (!(ticketed() && rows.every((r) => r.note_at !== null)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const before = ticketed();
    rows = await load();
    // Once every alert has its ticket, the health notes get 30 s more at the most.
    if (!before && ticketed()) deadline = Math.min(deadline, Date.now() + 30_000);
  }
  const byAlert = new Map(rows.map((r) => [r.level_alert_id, r]));
  return fired.map((f) => {
    const row = byAlert.get(f.alertId);
    return {
      alertId: f.alertId,
      sentAt: f.sentAt,
      acceptMs: f.answeredAt - f.sentAt,
      status: f.status,
      toTicketMs: row?.ticket_at ? new Date(row.ticket_at).getTime() - f.sentAt : null,
      health: row?.note_at
        ? { read: row.note!.startsWith('Device health'), toNoteMs: new Date(row.note_at).getTime() - f.sentAt }
        : null,
    };
  });
}

function countRequests(trace: Trace): RequestCounts {
  const counts: RequestCounts = { syncPages: 0, alertLists: 0, deviceLookups: 0, other: 0, total: trace.length };
  for (const [, path] of trace) {
    if (path === '/v2/devices') counts.syncPages += 1;
    else if (path.startsWith('/v2/devices/')) counts.deviceLookups += 1;
    else if (path.startsWith('/v2/alerts')) counts.alertLists += 1;
    else counts.other += 1;
  }
  return counts;
}

function perMinute(trace: Trace, t0: number): number[] {
  const minutes: number[] = [];
  for (const [at] of trace) {
    const minute = Math.floor((at - t0) / 60_000);
    while (minutes.length <= minute) minutes.push(0);
    minutes[minute]! += 1;
  }
  return minutes;
}

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The simulator's trace once no request came for 3 s (at most 30 s later). */
async function quietTrace(ctx: Context): Promise<Trace> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const trace = (
      await ctx.simulator.request<Extract<SimulatorChildMessage, { type: 'trace' }>>({ type: 'trace' }, 'trace')
    ).requests;
    const last = trace.at(-1)?.[0] ?? 0;
    if (Date.now() - last >= 3_000 || Date.now() > deadline) return trace;
    await new Promise((resolve) => setTimeout(resolve, 3_000 - (Date.now() - last)));
  }
}

async function simulatorStats(ctx: Context) {
  return ctx.simulator.request<Extract<SimulatorChildMessage, { type: 'stats' }>>({ type: 'stats' }, 'stats');
}

function sleepUntil(at: number, cancelled: () => boolean = () => false): Promise<void> {
  return new Promise((resolve) => {
    const tick = () =>
      cancelled() || Date.now() >= at ? resolve() : setTimeout(tick, Math.min(250, Math.max(1, at - Date.now())));
    tick();
  });
}

// ---- report -------------------------------------------------------------------------------

export function renderBudgetReport(results: BudgetSizeResult[], header: string[]): string {
  const out: string[] = [...header, ''];
  for (const r of results) {
    const perSecond = r.requestsPerMinute / 60;
    const phases = [r.alone, ...(r.shared ? [r.shared] : [])];
    out.push(
      `### ${fmt(r.devices)} devices, LEVEL_REQUESTS_PER_MINUTE=${r.requestsPerMinute} (bucket burst ${r.burst})`,
    );
    out.push('');
    out.push(
      table(
        [
          'run',
          'sync wall',
          'requests during the sync (sync pages + webhooks)',
          'limit (requests − tokens at start) ÷ rate',
          'sync / limit',
          'requests ÷ rate',
          'sync / (requests ÷ rate)',
          'assets',
        ],
        phases.map((p) => {
          const limitMs = ((p.during.total - p.tokensAtStart) / perSecond) * 1000;
          const plainMs = (p.during.total / perSecond) * 1000;
          return [
            p.label,
            seconds(p.wallMs),
            `${fmt(p.during.total)} (${fmt(p.during.syncPages)} + ${fmt(p.during.alertLists + p.during.deviceLookups)}${p.during.other ? ` + ${p.during.other} other` : ''})`,
            `(${fmt(p.during.total)} − ${p.tokensAtStart.toFixed(1)}) ÷ ${fmt(r.requestsPerMinute)}/min = ${seconds(limitMs)}`,
            `${(p.wallMs / limitMs).toFixed(3)}×`,
            seconds(plainMs),
            `${(p.wallMs / plainMs).toFixed(3)}×`,
            fmt(p.assets),
          ];
        }),
      ),
    );
    out.push('');
    out.push(
      table(
        [
          'run',
          "requests per minute from the sync's start (Level, all paths)",
          'most in any 60 s',
          "bucket's bound (burst + rate)",
          'Level 429s',
          "the sync's own count (workflow)",
        ],
        [...phases, ...(r.idle ? [r.idle] : [])].map((p) => [
          p.label,
          p.perMinute.join(' / '),
          fmt(p.maxPerSlidingMinute),
          fmt(r.burst + r.requestsPerMinute),
          fmt(p.rateLimited),
          p.result.levelRequests === undefined ? '—' : fmt(p.result.levelRequests),
        ]),
      ),
    );
    const withWebhooks = [r.shared, r.idle].filter((p): p is PhaseResult => p !== null && p.webhooks.length > 0);
    if (withWebhooks.length > 0) {
      out.push('');
      out.push(
        table(
          [
            'webhooks',
            'sent (202)',
            'Level requests they spent: alert lists + device reads (during the sync)',
            'of the device reads: health notes',
            'per webhook',
            'accept p50 / max',
            'alert-to-ticket p50 / p95 / max',
            'health note read / unavailable; p50 / max after the alert',
            'without a ticket',
          ],
          withWebhooks.map((p) => {
            const spent = p.overall.alertLists + p.overall.deviceLookups;
            const toTicket = p.webhooks.flatMap((w) => (w.toTicketMs === null ? [] : [w.toTicketMs]));
            const toNote = p.webhooks.flatMap((w) => (w.health ? [w.health.toNoteMs] : []));
            const accept = p.webhooks.map((w) => w.acceptMs);
            return [
              p.label,
              `${p.webhooks.length} (${p.webhooks.filter((w) => w.status === 202).length})`,
              `${fmt(spent)}: ${fmt(p.overall.alertLists)} + ${fmt(p.overall.deviceLookups)} (${fmt(p.during.alertLists + p.during.deviceLookups)})`,
              fmt(p.healthReadings),
              (spent / p.webhooks.length).toFixed(2),
              `${quantile(accept, 50)} / ${Math.max(...accept)} ms`,
              `${fmtMs(quantile(toTicket, 50))} / ${fmtMs(quantile(toTicket, 95))} / ${fmtMs(Math.max(...toTicket))}`,
              `${p.webhooks.filter((w) => w.health?.read).length} / ${p.webhooks.filter((w) => w.health && !w.health.read).length}; ${fmtMs(quantile(toNote, 50))} / ${fmtMs(Math.max(...toNote))}`,
              fmt(p.webhooks.filter((w) => w.toTicketMs === null).length),
            ];
          }),
        ),
      );
    }
    out.push('');
    out.push(
      table(
        ['goal', 'measured', 'result'],
        phases
          .map((p) => {
            const limitMs = ((p.during.total - p.tokensAtStart) / perSecond) * 1000;
            const ratio = p.wallMs / limitMs;
            const within =
              p.maxPerSlidingMinute <= r.burst + r.requestsPerMinute &&
              p.perMinute.slice(1, -1).every((n) => n <= r.requestsPerMinute) &&
              p.rateLimited === 0;
            return [
              [
                `${p.label}: wall within ${pct(GOAL)} of (requests − burst) ÷ rate`,
                `${seconds(p.wallMs)} vs ${seconds(limitMs)} (${ratio >= 1 ? '+' : ''}${pct(ratio - 1)})`,
                Math.abs(ratio - 1) <= GOAL ? 'PASS' : 'MISS',
              ],
              [
                `${p.label}: within the budget (every 60 s ≤ burst + rate, full minutes after the first ≤ rate, no 429)`,
                `max ${p.maxPerSlidingMinute} in 60 s; minutes ${p.perMinute.join(' / ')}; ${p.rateLimited} × 429`,
                within ? 'PASS' : 'MISS',
              ],
            ];
          })
          .flat(),
      ),
    );
    out.push('');
  }
  return out.join('\n');
}

function quantile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmtMs = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 10_000 ? seconds(ms) : `${fmt(Math.round(ms))} ms`);
