// What `npm run bench:sync` and its budget-bound case (bench/sync-budget.ts) share: the child
// processes (simulator, worker), a bench tenant with its groups discovered and mapped, running a
// workflow to its end, and the report's formatting.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { LevelGroupSchema } from '../db/entities';
import { loadGroupTree } from '../db/group-tree-store';
import { saveIntegration } from '../db/integration-store';
import type { Orm } from '../db/orm';
import { createTenantWithToken } from '../db/tenants';
import type { SecretBox } from '../security/secret-box';
import { runSearchAttributes } from '../contracts/search-attributes';
import { workflowId, type Operation } from '../contracts/workflow-ids';
import { DISCOVER_GROUPS_WORKFLOW, type WorkflowType } from '../contracts/workflows';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';

export interface Context {
  orm: Orm;
  secretBox: SecretBox;
  temporal: Client;
  taskQueue: string;
  simulator: Child;
  worker: Child;
  level: { url: string; apiKey: string };
}

export type GroupRow = {
  levelGroupId: string;
  parentId: string | null;
  deviceCount: number;
  descendantDeviceCount: number;
};

export interface BenchTenant {
  tenantId: string;
  /** The tenant's API token (the bench's API process, when there is one, accepts it). */
  token: string;
  input: { tenantId: string; integrationId: string };
  mappedGroups: number;
  roots: string[];
  inScope: number;
}

/** A fresh tenant on the simulator: its integration saved, groups discovered, what `choose` picks mapped. */
export async function prepareTenant(
  ctx: Context,
  label: string,
  choose: (rows: GroupRow[]) => GroupRow[],
): Promise<BenchTenant> {
  const em = ctx.orm.em.fork();
  const { tenantId, token } = await createTenantWithToken(em, `bench ${label}`);
  const integration = await saveIntegration(em, ctx.secretBox, tenantId, {
    apiKey: ctx.level.apiKey,
    baseUrl: ctx.level.url,
  });
  const input = { tenantId, integrationId: integration.id };
  await runWorkflow(ctx, DISCOVER_GROUPS_WORKFLOW, 'discover-groups', input);
  // In a fixed order, so a seeded choice picks the same groups on every run.
  const rows = await em.find(
    LevelGroupSchema,
    { tenantId },
    { fields: ['levelGroupId', 'parentId', 'deviceCount', 'descendantDeviceCount'], orderBy: { levelGroupId: 'asc' } },
  );
  const chosen = choose(
    rows.map((r) => ({
      levelGroupId: r.levelGroupId,
      parentId: r.parentId ?? null,
      deviceCount: r.deviceCount,
      descendantDeviceCount: r.descendantDeviceCount,
    })),
  );
  await mapToOwnClients(
    ctx.orm,
    tenantId,
    chosen.map((g) => g.levelGroupId),
  );
  const tree = await loadGroupTree(ctx.orm.em.fork(), tenantId);
  const byId = new Map(tree.groups.map((g) => [g.row.levelGroupId, g.row]));
  const inScope = tree.syncRoots.reduce((sum, id) => sum + (byId.get(id)?.descendantDeviceCount ?? 0), 0);
  return { tenantId, token, input, mappedGroups: chosen.length, roots: tree.syncRoots, inScope };
}

/** Starts the tenant's run of `type` on the bench's task queue, as the service names it. */
export function startWorkflow(
  ctx: Pick<Context, 'temporal' | 'taskQueue'>,
  type: WorkflowType,
  operation: Operation,
  input: { tenantId: string; integrationId: string },
) {
  return ctx.temporal.workflow.start(type, {
    taskQueue: ctx.taskQueue,
    workflowId: workflowId(input.tenantId, operation),
    args: [input],
    typedSearchAttributes: runSearchAttributes(input.tenantId, operation),
  });
}

export async function runWorkflow<T>(
  ctx: Pick<Context, 'temporal' | 'taskQueue'>,
  type: WorkflowType,
  operation: Operation,
  input: { tenantId: string; integrationId: string },
): Promise<{ result: T; runId: string }> {
  const handle = await startWorkflow(ctx, type, operation, input);
  return { result: (await handle.result()) as T, runId: handle.firstExecutionRunId };
}

/** Active (not archived) assets of the tenant. */
export async function countAssets(orm: Orm, tenantId: string): Promise<number> {
  const counted = await orm.em
    .fork()
    .getKnex()('assets')
    .where({ tenant_id: tenantId, archived: false })
    .count<Array<{ count: string }>>({ count: '*' });
  return Number(counted[0]?.count ?? 0);
}

/** One client per mapped group, written the way the mapping API leaves them. */
async function mapToOwnClients(orm: Orm, tenantId: string, levelGroupIds: string[]): Promise<void> {
  const knex = orm.em.fork().getKnex();
  const mappings = levelGroupIds.map((levelGroupId, i) => ({
    level_group_id: levelGroupId,
    client_id: randomUUID(),
    name: `Bench client ${i + 1}`,
  }));
  for (let i = 0; i < mappings.length; i += 1_000) {
    const batch = mappings.slice(i, i + 1_000);
    await knex('clients').insert(batch.map((m) => ({ id: m.client_id, tenant_id: tenantId, name: m.name })));
    await knex.raw(
      `update level_groups g set mapped_client_id = m.client_id, updated_at = now()
         from jsonb_to_recordset(?::jsonb) as m(level_group_id text, client_id uuid)
        where g.tenant_id = ? and g.level_group_id = m.level_group_id`,
      [JSON.stringify(batch), tenantId],
    );
  }
}

// ---- processes ----------------------------------------------------------------------------

export interface Child {
  first: { type: string } & Record<string, unknown>;
  send(message: { type: string }): void;
  request<T>(message: { type: string }, answer: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** A child process of the bench (bench/<script>) that talks over IPC; resolves once it sent `readyType`. */
export async function startChild(script: string, env: NodeJS.ProcessEnv, readyType: string): Promise<Child> {
  // The worker runs with the production worker's flags; BENCH_NODE_FLAGS adds more (to compare).
  const flags = [
    ...(script === 'sync-worker.ts' ? WORKER_NODE_FLAGS : []),
    ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
  ];
  const child = fork(join(__dirname, script), [], {
    execArgv: [...flags, '--import', 'tsx'],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = <T>(type: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${script}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (message: { type: string }) => message.type === type && done(undefined, message as T);
      const onExit = (code: number | null) => done(new Error(`${script} exited (${code}) while waiting for "${type}"`));
      const done = (err?: Error, value?: T) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(value as T);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const first = await waitFor<Child['first']>(readyType, 180_000);
  return {
    first,
    send: (message) => void child.send(message),
    request: async <T>(message: { type: string }, answer: string, timeoutMs = 30_000) => {
      const reply = waitFor<T>(answer, timeoutMs);
      child.send(message);
      return reply;
    },
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---- formatting ---------------------------------------------------------------------------

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const log = (line: string) => console.error(`[bench:sync] ${line}`);
export const fmt = (n: number) => n.toLocaleString('en-US');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
export const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
