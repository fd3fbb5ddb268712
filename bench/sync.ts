// `npm run bench:sync [-- --sizes 10000,50000,100000]`: Device Sync against generated fleets,
// through the real stack: a Temporal server (BENCH_TEMPORAL, bench/bench-temporal.ts: the dev
// server by default, or TEMPORAL_ADDRESS), PostgreSQL (DATABASE_URL,
// a scratch database migrated and dropped at the end), the production worker in a child process
// (bench/sync-worker.ts, so its RSS is its own) and the Level simulator in another child
// (bench/sync-simulator.ts) over loopback HTTP with 20 ms per request.
//
// Per size: discover groups with the `discoverGroups` workflow, map every root group to its own
// client, run `deviceSync` and time it; then the floor: the bare Level client paging the same
// sync roots with the same include flags, one request at a time, no persistence; then a
// full-account sweep (every device, no filters) for the request-count reference; then two runs
// with 10% of the groups mapped, on fresh tenants. Prints a table and PASS/MISS per goal (never
// fails on a goal), and writes the same into the "Device sync" section of bench/README.md when it
// ran all the default sizes on the dev server (other runs are printed only).
// BENCH_BUDGET=<requests per minute> runs the budget-bound case instead (bench/sync-budget.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { SYNC_DEVICE_INCLUDES } from '../activities/device-sync-activities';
import { migrateToLatest, openOrm } from '../db/orm';
import { createScratchDatabase, dropScratchDatabase } from '../db/scratch-database';
import { benchTemporal } from './bench-temporal';
import { createLevelClient } from '../level/client';
import { createSecretBox, generateMasterKey, parseMasterKey } from '../security/secret-box';
import { TemporalGateway } from '../temporal/connection';
import { workflowId } from '../contracts/workflow-ids';
import { DEVICE_SYNC_WORKFLOW } from '../contracts/workflows';
import type { DeviceSyncResult } from '../workflows/device-sync';
import type { SimulatorChildMessage, SimulatorChildOptions } from './sync-simulator';
import type { WorkerReport } from './sync-worker';
import { budgetBench, renderBudgetReport, type BudgetSizeResult } from './sync-budget';
import {
  countAssets,
  fmt,
  log,
  mb,
  pct,
  prepareTenant,
  redactUrl,
  runWorkflow,
  seconds,
  startChild,
  table,
  type Context,
  type GroupRow,
} from './sync-harness';

const DEFAULT_SIZES = [10_000, 50_000, 100_000];
const DEVICES_PER_GROUP = 20;
const DEPTH = 5;
const SEED = 7;
const LATENCY_MS = 20;
/** High enough that the shared request budget never makes anyone wait. */
const REQUESTS_PER_MINUTE = 1_000_000;
const PARTIAL_SHARE = 0.1;
/** Everything stops by itself: the whole run is abandoned after this. */
const RUN_DEADLINE_MS = 30 * 60_000;

const GOALS = {
  floorFactor: 1.5,
  linearTolerance: 1.25,
  rssBytes: 300 * 1024 * 1024,
  rssAtDevices: 100_000,
  requestShare: 0.15,
};

interface SyncRun {
  label: string;
  tenantId: string;
  mappedGroups: number;
  roots: string[];
  inScope: number;
  wallMs: number;
  result: DeviceSyncResult;
  simulatorDeviceRequests: number;
  assets: number;
  worker: WorkerReport;
  history: HistoryProfile;
}

/** From the workflow histories (every run of the continue-as-new chain). */
interface HistoryProfile {
  activities: number;
  /** Scheduled → started: waiting in the task queue. */
  queueMs: number;
  /** Started → completed: inside the activities. */
  executionMs: number;
  /** Completed → next scheduled: a workflow task round trip. */
  turnaroundMs: number;
  runs: number;
}

interface PagingRun {
  ms: number;
  requests: number;
  devices: number;
}

interface SizeResult {
  devices: number;
  groups: number;
  fleetBuildMs: number;
  full: SyncRun;
  floor: PagingRun;
  sweep: PagingRun;
  randomTenth: SyncRun;
  clientTenth: SyncRun;
}

function parseSizes(defaults: number[]): number[] {
  const { values } = parseArgs({ options: { sizes: { type: 'string' } } });
  if (!values.sizes) return defaults;
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < DEVICES_PER_GROUP || n > 1_000_000)) {
    throw new Error(
      `--sizes takes comma-separated device counts between ${DEVICES_PER_GROUP} and 1000000 (got ${values.sizes})`,
    );
  }
  return sizes;
}

/** BENCH_BUDGET=<requests per minute>: the budget-bound case (bench/sync-budget.ts) instead. */
function parseBudget(): number | undefined {
  const value = process.env.BENCH_BUDGET;
  if (value === undefined || value === '') return undefined;
  const budget = Number(value);
  if (!Number.isInteger(budget) || budget < 4 || budget > 100_000)
    throw new Error(`BENCH_BUDGET takes requests per minute, 4 to 100000 (got ${value})`);
  return budget;
}

async function main(): Promise<void> {
  const budget = parseBudget();
  // At a real budget, 10,000 devices already take minutes.
  const sizes = parseSizes(budget ? [10_000] : DEFAULT_SIZES);
  const env = ['BENCH_TEMPORAL', 'BENCH_BUDGET', 'BENCH_WEBHOOKS_PER_MINUTE']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]} `)
    .join('');
  const command = `${env}npm run bench:sync${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const began = Date.now();
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    while (cleanups.length > 0)
      await cleanups.pop()!().catch((err: unknown) => console.error('cleanup failed:', (err as Error).message));
  };
  const watchdog = setTimeout(() => {
    console.error(`bench:sync exceeded ${RUN_DEADLINE_MS / 60_000} minutes; stopping`);
    process.exitCode = 1;
    void cleanup().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS);
  watchdog.unref();

  try {
    const server = await benchTemporal(cleanups, process.env.TEMPORAL_ADDRESS);
    const temporalAddress = server.address;
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbName = `levelsync_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    const databaseUrl = await createScratchDatabase(serverUrl, dbName);
    cleanups.push(() => dropScratchDatabase(serverUrl, dbName));
    const orm = await openOrm(databaseUrl);
    cleanups.push(() => orm.close());
    await migrateToLatest(orm);
    const masterKey = generateMasterKey();
    const secretBox = createSecretBox(parseMasterKey(masterKey));
    const gateway = new TemporalGateway(temporalAddress, 'default');
    cleanups.push(() => gateway.close());
    const temporal = await gateway.getClient();
    log(`ready in ${seconds(Date.now() - began)} (Temporal ${temporalAddress}, database ${dbName})`);

    const results: SizeResult[] = [];
    const budgetResults: BudgetSizeResult[] = [];
    for (const devices of sizes) {
      const groups = Math.max(1, Math.round(devices / DEVICES_PER_GROUP));
      // At a real budget the simulator enforces the same limit per key, as Level does, and keeps a trace.
      const simOptions: SimulatorChildOptions = {
        seed: SEED,
        groups,
        depth: DEPTH,
        devices,
        latencyMs: LATENCY_MS,
        ...(budget ? { requestsPerMinute: budget, trace: true } : {}),
      };
      const simulator = await startChild(
        'sync-simulator.ts',
        { ...process.env, BENCH_SIMULATOR: JSON.stringify(simOptions) },
        'ready',
      );
      const ready = simulator.first as Extract<SimulatorChildMessage, { type: 'ready' }>;
      const taskQueue = `bench-sync-${devices}-${randomBytes(3).toString('hex')}`;
      const worker = await startChild(
        'sync-worker.ts',
        {
          ...process.env,
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_NAMESPACE: 'default',
          TEMPORAL_TASK_QUEUE: taskQueue,
          MASTER_KEY: masterKey,
          LEVEL_REQUESTS_PER_MINUTE: String(budget ?? REQUESTS_PER_MINUTE),
          LEVEL_ALLOWED_HOSTS: new URL(ready.url).host,
          LOG_LEVEL: 'silent',
        },
        'ready',
      );
      try {
        const ctx: Context = {
          orm,
          secretBox,
          temporal,
          taskQueue,
          simulator,
          worker,
          level: { url: ready.url, apiKey: ready.apiKey },
        };
        log(`${devices} devices, ${ready.groups} groups (fleet built in ${seconds(ready.buildMs)})`);
        if (budget) {
          budgetResults.push(
            await budgetBench(ctx, {
              requestsPerMinute: budget,
              databaseUrl,
              temporalAddress,
              masterKey,
              devices: ready.devices,
              groups: ready.groups,
            }),
          );
          continue;
        }
        const full = await syncScenario(ctx, 'all root groups', (rows) => rows.filter((g) => g.parentId === null));
        log(`  sync: ${seconds(full.wallMs)}, ${full.result.levelRequests} Level requests, ${full.assets} assets`);
        const floor = await floorRun(ctx, full.roots);
        log(`  floor: ${seconds(floor.ms)}, ${floor.requests} requests`);
        const sweep = await sweepRun(ctx);
        log(`  full-account sweep: ${sweep.requests} requests in ${seconds(sweep.ms)}`);
        const randomTenth = await syncScenario(ctx, '10% of groups, random', (rows) =>
          pickRandom(rows, Math.round(rows.length * PARTIAL_SHARE), SEED + devices),
        );
        log(
          `  10% random groups: ${randomTenth.result.levelRequests} requests, ${randomTenth.inScope} devices in scope`,
        );
        const clientTenth = await syncScenario(ctx, '10% of groups, whole client subtrees', (rows) =>
          wholeClientSubtrees(rows, PARTIAL_SHARE, SEED + devices),
        );
        log(
          `  10% as client subtrees: ${clientTenth.result.levelRequests} requests, ${clientTenth.inScope} devices in scope`,
        );
        results.push({
          devices: ready.devices,
          groups: ready.groups,
          fleetBuildMs: ready.buildMs,
          full,
          floor,
          sweep,
          randomTenth,
          clientTenth,
        });
      } finally {
        await worker.stop();
        await simulator.stop();
      }
    }

    if (budget) {
      console.log(
        `\n${renderBudgetReport(budgetResults, reportHeader(command, server.label, budget, Date.now() - began))}`,
      );
      log(
        `total ${seconds(Date.now() - began)}; the budget-bound figures are printed only (bench/README.md keeps them by hand)`,
      );
      return;
    }
    const report = renderReport(results, reportHeader(command, server.label, REQUESTS_PER_MINUTE, Date.now() - began));
    console.log(`\n${report}`);
    // The README's section is the full run on the dev server; other runs are printed only.
    if (sizes.join() === DEFAULT_SIZES.join() && server.label === 'dev server') {
      writeReadme(report);
      log(`wrote bench/README.md ("Device sync" section); total ${seconds(Date.now() - began)}`);
    } else {
      log(`total ${seconds(Date.now() - began)}; not all sizes or not the dev server: bench/README.md left alone`);
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

// ---- scenarios ----------------------------------------------------------------------------

/** A fresh tenant on the simulator: discover, map what `choose` picks, run deviceSync. */
async function syncScenario(ctx: Context, label: string, choose: (rows: GroupRow[]) => GroupRow[]): Promise<SyncRun> {
  const { tenantId, input, mappedGroups, roots, inScope } = await prepareTenant(ctx, label, choose);
  const requestsBefore = (
    await ctx.simulator.request<Extract<SimulatorChildMessage, { type: 'stats' }>>({ type: 'stats' }, 'stats')
  ).devices;
  ctx.worker.send({ type: 'reset' });
  const started = Date.now();
  const { result, runId } = await runWorkflow<DeviceSyncResult>(ctx, DEVICE_SYNC_WORKFLOW, 'device-sync', input);
  const wallMs = Date.now() - started;
  const history = await historyProfile(ctx, workflowId(tenantId, 'device-sync'), runId);
  const worker = await ctx.worker.request<WorkerReport>({ type: 'report' }, 'report');
  const requestsAfter = (
    await ctx.simulator.request<Extract<SimulatorChildMessage, { type: 'stats' }>>({ type: 'stats' }, 'stats')
  ).devices;
  const assets = await countAssets(ctx.orm, tenantId);
  if (result.failed > 0 || assets !== inScope)
    throw new Error(`${label}: ${assets} assets for ${inScope} devices in scope, ${result.failed} failed`);
  return {
    label,
    tenantId,
    mappedGroups,
    roots,
    inScope,
    wallMs,
    result,
    simulatorDeviceRequests: requestsAfter - requestsBefore,
    assets,
    worker,
    history,
  };
}

async function historyProfile(ctx: Context, id: string, firstRunId: string): Promise<HistoryProfile> {
  const profile: HistoryProfile = { activities: 0, queueMs: 0, executionMs: 0, turnaroundMs: 0, runs: 0 };
  const ms = (t: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined) =>
    t ? Number((t.seconds ?? 0).toString()) * 1000 + (t.nanos ?? 0) / 1e6 : 0;
  let runId: string | undefined = firstRunId;
  for (let guard = 0; runId && guard < 1_000; guard++) {
    const history = await ctx.temporal.workflow.getHandle(id, runId).fetchHistory();
    profile.runs += 1;
    runId = undefined;
    const scheduledAt = new Map<string, number>();
    let lastCompleted: number | undefined;
    for (const event of history.events ?? []) {
      const at = ms(event.eventTime);
      if (event.activityTaskScheduledEventAttributes) {
        scheduledAt.set(String(event.eventId), at);
        if (lastCompleted !== undefined) profile.turnaroundMs += at - lastCompleted;
        profile.activities += 1;
      } else if (event.activityTaskStartedEventAttributes) {
        profile.queueMs +=
          at - (scheduledAt.get(String(event.activityTaskStartedEventAttributes.scheduledEventId)) ?? at);
        scheduledAt.set(`started:${String(event.activityTaskStartedEventAttributes.scheduledEventId)}`, at);
      } else if (event.activityTaskCompletedEventAttributes) {
        profile.executionMs +=
          at -
          (scheduledAt.get(`started:${String(event.activityTaskCompletedEventAttributes.scheduledEventId)}`) ?? at);
        lastCompleted = at;
      } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
        runId = event.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? undefined;
      }
    }
  }
  return profile;
}

/** The floor: the bare client pages the sync's roots, same includes, one request at a time. */
async function floorRun(ctx: Context, roots: string[]): Promise<PagingRun> {
  const client = createLevelClient({ baseUrl: ctx.level.url, apiKey: ctx.level.apiKey });
  let devices = 0;
  const started = Date.now();
  for (const root of roots)
    devices += await pageAll((startingAfter) =>
      client.listDevicesPage({ ancestorGroupId: root, include: SYNC_DEVICE_INCLUDES, startingAfter }),
    );
  return { ms: Date.now() - started, requests: client.requestCount, devices };
}

/** A full-account sweep: every device of the account, no filters. */
async function sweepRun(ctx: Context): Promise<PagingRun> {
  const client = createLevelClient({ baseUrl: ctx.level.url, apiKey: ctx.level.apiKey });
  const started = Date.now();
  const devices = await pageAll((startingAfter) => client.listDevicesPage({ startingAfter }));
  return { ms: Date.now() - started, requests: client.requestCount, devices };
}

async function pageAll(
  fetchPage: (cursor: string | undefined) => Promise<{ data: unknown[]; hasMore: boolean; nextCursor: string | null }>,
): Promise<number> {
  let cursor: string | undefined;
  let devices = 0;
  for (let page = 0; page < 100_000; page++) {
    const result = await fetchPage(cursor);
    devices += result.data.length;
    if (!result.hasMore || !result.nextCursor) return devices;
    cursor = result.nextCursor;
  }
  throw new Error('paging did not end');
}

function pickRandom<T>(items: T[], count: number, seed: number): T[] {
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

/** Root groups (clients) in random order until their subtrees hold `share` of all groups. */
function wholeClientSubtrees(rows: GroupRow[], share: number, seed: number): GroupRow[] {
  const children = new Map<string | null, GroupRow[]>();
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);
  const subtreeSize = (id: string): number => {
    let size = 0;
    const stack = [id];
    for (let guard = 0; stack.length > 0 && guard <= rows.length; guard++) {
      const current = stack.pop()!;
      size += 1;
      stack.push(...(children.get(current) ?? []).map((c) => c.levelGroupId));
    }
    return size;
  };
  const target = Math.round(rows.length * share);
  const chosen: GroupRow[] = [];
  let covered = 0;
  for (const root of pickRandom(children.get(null) ?? [], rows.length, seed)) {
    if (covered >= target) break;
    const size = subtreeSize(root.levelGroupId);
    if (covered + size > target * 1.1) continue;
    chosen.push(root);
    covered += size;
  }
  return chosen;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- report -------------------------------------------------------------------------------

function reportHeader(command: string, temporalLabel: string, requestsPerMinute: number, totalMs: number): string[] {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `Command: \`${command}\` (DATABASE_URL=${redactUrl(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')}; Temporal: ${temporalLabel}${process.env.BENCH_TEMPORAL ? '' : process.env.TEMPORAL_ADDRESS ? ' (TEMPORAL_ADDRESS)' : ', started by the bench'})`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; whole run ${seconds(totalMs)}; load average at the end ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}.`,
    `Fleets: 1 group per ${DEVICES_PER_GROUP} devices, depth ${DEPTH}, seed ${SEED}; simulator latency ${LATENCY_MS} ms per request; LEVEL_REQUESTS_PER_MINUTE=${requestsPerMinute}.`,
  ];
}

function renderReport(results: SizeResult[], header: string[]): string {
  const out: string[] = [...header];
  out.push(
    'Full sync: every root group mapped to its own client (all devices in scope), on a fresh tenant. Floor: the bare Level client paging the same sync roots with the same include flags, sequentially, no persistence.',
  );
  out.push('');
  out.push('### Full sync');
  out.push('');
  out.push(
    table(
      [
        'devices',
        'groups',
        'sync roots',
        'sync wall time',
        'Level requests',
        'assets/s',
        'worker RSS idle → peak (sync)',
        'worker maxRSS (lifetime)',
        'floor',
        'floor requests',
        'sync / floor',
        'µs per device',
      ],
      results.map((r) => [
        fmt(r.devices),
        fmt(r.groups),
        fmt(r.full.roots.length),
        seconds(r.full.wallMs),
        fmt(r.full.result.levelRequests),
        fmt(Math.round(r.full.assets / (r.full.wallMs / 1000))),
        `${mb(r.full.worker.startRss)} → ${mb(r.full.worker.peakRss)}`,
        mb(r.full.worker.maxRss),
        seconds(r.floor.ms),
        fmt(r.floor.requests),
        `${(r.full.wallMs / r.floor.ms).toFixed(2)}×`,
        fmt(Math.round((r.full.wallMs * 1000) / r.devices)),
      ]),
    ),
  );
  out.push('');
  out.push('### Where the sync time goes (worker-side, sequential within a chunk)');
  out.push('');
  out.push(
    table(
      [
        'devices',
        'wall',
        'Level HTTP',
        'asset upserts',
        'budget tokens',
        'other SQL',
        'in activities, rest (parse, map)',
        'activity queue wait',
        'workflow task turnaround',
        'activities (runs)',
      ],
      results.map((r) => {
        const w = r.full.worker;
        const h = r.full.history;
        const inActivitiesRest = h.executionMs - w.levelMs - w.sql.assets.ms - w.sql.budget.ms - w.sql.other.ms;
        return [
          fmt(r.devices),
          seconds(r.full.wallMs),
          `${seconds(w.levelMs)} (${fmt(w.levelCalls)})`,
          `${seconds(w.sql.assets.ms)} (${fmt(w.sql.assets.count)})`,
          `${seconds(w.sql.budget.ms)} (${fmt(w.sql.budget.count)})`,
          `${seconds(w.sql.other.ms)} (${fmt(w.sql.other.count)})`,
          seconds(inActivitiesRest),
          seconds(h.queueMs),
          seconds(h.turnaroundMs),
          `${fmt(h.activities)} (${h.runs})`,
        ];
      }),
    ),
  );
  out.push('');
  out.push('### 10% of groups mapped');
  out.push('');
  out.push(
    table(
      [
        'devices',
        'mapping',
        'mapped groups',
        'sync roots',
        'devices in scope',
        'Level requests',
        'full-account sweep',
        'share of sweep',
        'sync wall time',
      ],
      results.flatMap((r) =>
        [r.randomTenth, r.clientTenth].map((s) => [
          fmt(r.devices),
          s.label,
          fmt(s.mappedGroups),
          fmt(s.roots.length),
          `${fmt(s.inScope)} (${pct(s.inScope / r.devices)})`,
          fmt(s.result.levelRequests),
          fmt(r.sweep.requests),
          pct(s.result.levelRequests / r.sweep.requests),
          seconds(s.wallMs),
        ]),
      ),
    ),
  );
  out.push('');
  out.push('### Goals');
  out.push('');
  out.push(table(['goal', 'measured', 'result'], goals(results)));
  return out.join('\n');
}

function goals(results: SizeResult[]): string[][] {
  const rows: string[][] = [];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
  for (const r of results) {
    const ratio = r.full.wallMs / r.floor.ms;
    rows.push([
      `sync ≤ ${GOALS.floorFactor} × floor at ${fmt(r.devices)}`,
      `${seconds(r.full.wallMs)} vs ${seconds(r.floor.ms)} (${ratio.toFixed(2)}×)`,
      verdict(ratio <= GOALS.floorFactor),
    ]);
  }
  if (results.length >= 2) {
    const perDevice = results.map((r) => r.full.wallMs / r.devices);
    const spread = Math.max(...perDevice) / Math.min(...perDevice);
    rows.push([
      `growth linear in devices (µs/device within ${GOALS.linearTolerance}× across sizes)`,
      `${perDevice.map((v) => fmt(Math.round(v * 1000))).join(' / ')} µs per device (spread ${spread.toFixed(2)}×)`,
      verdict(spread <= GOALS.linearTolerance),
    ]);
  } else {
    rows.push(['growth linear in devices', 'needs two sizes or more', 'n/a']);
  }
  const big = results.find((r) => r.devices === GOALS.rssAtDevices);
  rows.push([
    `worker peak RSS ≤ ${mb(GOALS.rssBytes)} at ${fmt(GOALS.rssAtDevices)}`,
    big
      ? `${mb(big.full.worker.peakRss)} during the sync (process lifetime maxRSS ${mb(big.full.worker.maxRss)})`
      : `size ${fmt(GOALS.rssAtDevices)} not run`,
    verdict(big ? big.full.worker.peakRss <= GOALS.rssBytes : undefined),
  ]);
  for (const r of results) {
    for (const s of [r.randomTenth, r.clientTenth]) {
      const share = s.result.levelRequests / r.sweep.requests;
      rows.push([
        `10% of groups mapped (${s.label.replace('10% of groups, ', '')}): requests ≤ ${pct(GOALS.requestShare)} of sweep at ${fmt(r.devices)}`,
        `${fmt(s.result.levelRequests)} of ${fmt(r.sweep.requests)} (${pct(share)}; ${pct(s.inScope / r.devices)} of devices in scope)`,
        verdict(share <= GOALS.requestShare),
      ]);
    }
  }
  return rows;
}

/** Replaces (or appends) the "## Device sync" section, leaving every other section alone. */
function writeReadme(report: string): void {
  const path = join(__dirname, 'README.md');
  const section = [
    '## Device sync',
    '',
    'Run with `npm run bench:sync` (all sizes: 10k, 50k, 100k devices; about 5–10 minutes on 2 cores) or pick sizes with `npm run bench:sync -- --sizes 10000,50000` (this section is rewritten by a run of all sizes on the dev server; other runs only print). `BENCH_TEMPORAL=cluster` runs it on a real Temporal server, `BENCH_BUDGET=100` the budget-bound case (both below). Needs PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped) and the Temporal CLI (or TEMPORAL_ADDRESS). The worker runs in its own process (bench/sync-worker.ts, with the production worker Node flags from worker/node-flags.ts: a 256 MB old space) and the simulator in another (bench/sync-simulator.ts), so "worker peak RSS" is the worker alone: sampled every 25 ms during the sync; "lifetime maxRSS" also covers start-up (workflow bundling). Goals are reported, never enforced.',
    '',
    report,
    '',
  ].join('\n');
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const lines = existing.split('\n');
  const start = lines.findIndex((l) => /^## Device sync\s*$/.test(l));
  let next: string;
  if (start === -1) {
    next = `${existing.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    const endOffset = lines.slice(start + 1).findIndex((l) => /^## /.test(l));
    const end = endOffset === -1 ? lines.length : start + 1 + endOffset;
    next = [...lines.slice(0, start), ...section.split('\n'), ...lines.slice(end)].join('\n');
  }
  writeFileSync(path, next.replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
