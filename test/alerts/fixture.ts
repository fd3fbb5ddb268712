// Shared setup for the alert pipeline suites: a Level simulator with a small fleet (ids with `/`
// and `+`), a tenant whose Acme group is mapped to a client, and helpers to post webhooks.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { signBody } from '../../api/webhook/auth';
import { AlertSchema, TicketNoteSchema, TicketSchema, WebhookInboxSchema } from '../../db/entities';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs, call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

export const BASE = '/api/v1/integrations/level';
export const ACME_GROUP = 'a/cme+1';
export const ACME_DEVICE = 'de/v+1';
export const LOOSE_DEVICE = 'lo+ose/2';

export function alertFleet(): Fleet {
  const fleet = new Fleet({ seed: 11 });
  fleet.addGroup({ id: ACME_GROUP, name: 'Acme Corp', parentId: null });
  fleet.addGroup({ id: 'sr/v+', name: 'Servers', parentId: ACME_GROUP });
  fleet.addGroup({ id: 'un+mapped', name: 'Unmapped', parentId: null });
  fleet.addDevice({
    id: ACME_DEVICE,
    hostname: 'ACME-SRV-1',
    nickname: 'Acme file server',
    groupId: 'sr/v+',
    role: 'server',
  });
  fleet.addDevice({ id: LOOSE_DEVICE, hostname: 'LOOSE-1', groupId: 'un+mapped' });
  return fleet;
}

export interface AlertTenant {
  env: TestEnv;
  simulator: LevelSimulator;
  tenantId: string;
  token: string;
  api: ReturnType<typeof apiAs>;
  clientId: string;
  webhookId: string;
  secret: string;
  apiKey: string;
  /** POSTs a body to the receiver with the template secret (override headers to test auth). */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  postNative(envelope: unknown, signingSecret: string): Promise<{ status: number; body: any }>;
  alerts(): Promise<Array<InstanceType<any>>>;
}

export async function alertTenant(env: TestEnv, simulator: LevelSimulator): Promise<AlertTenant> {
  const tenant = await env.createTenant();
  const api = apiAs(env.apiUrl, tenant.token);
  const apiKey = simulator.apiKey;
  assert.equal((await api.put(BASE, { apiKey, baseUrl: simulator.url })).status, 200);
  const discovered = await api.post(`${BASE}/discover-groups?wait=true`);
  assert.equal(discovered.body.status, 'completed', JSON.stringify(discovered.body));
  const client = await api.post('/api/v1/clients', { name: `Acme ${randomBytes(2).toString('hex')}` });
  assert.equal(client.status, 201);
  const mapped = await api.put(`${BASE}/groups/${encodeURIComponent(ACME_GROUP)}/mapping`, {
    clientId: client.body.id,
  });
  assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
  const card = await api.get(`${BASE}/webhook?reveal=true`);
  assert.equal(card.status, 200);
  const webhookId = (card.body.url as string).split('/').pop()!;
  const secret = card.body.header.value as string;
  const path = `/webhooks/level/${webhookId}`;
  return {
    env,
    simulator,
    tenantId: tenant.tenantId,
    token: tenant.token,
    api,
    clientId: client.body.id,
    webhookId,
    secret,
    apiKey,
    post: (body, headers = { 'x-alga-webhook-secret': secret }) =>
      call(env.apiUrl, 'POST', path, {
        rawBody: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      }),
    postNative: (envelope, signingSecret) => {
      const raw = JSON.stringify(envelope);
      return call(env.apiUrl, 'POST', path, {
        rawBody: raw,
        headers: { 'content-type': 'application/json', 'x-level-signature': `sha256=${signBody(signingSecret, raw)}` },
      });
    },
    alerts: () => env.em().find(AlertSchema, { tenantId: tenant.tenantId }),
  };
}

export function templateBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'alert.triggered',
    alert_id: `al/${randomUUID()}+x`,
    device_id: ACME_DEVICE,
    hostname: 'ACME-SRV-1',
    group_id: 'sr/v+',
    name: 'Disk space low',
    severity: 'critical',
    description: 'C: has 2% free',
    occurred_at: new Date().toISOString(),
    ...overrides,
  };
}

/** The seed's alert template as Level sends it: its device variables filled, the alert ones left literal (a nudge). */
export function seedNudgeBody(): Record<string, unknown> {
  return {
    event: 'alert.triggered',
    alert_id: '{{alert_id}}',
    device_id: ACME_DEVICE,
    hostname: 'ACME-SRV-1',
    group_id: 'sr/v+',
    name: '{{alert_name}}',
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function alertRow(env: TestEnv, tenantId: string, levelAlertId: string) {
  return env.em().findOne(AlertSchema, { tenantId, levelAlertId });
}

export function ticketsOf(env: TestEnv, tenantId: string) {
  return env.em().find(TicketSchema, { tenantId }, { orderBy: { number: 'asc' } });
}

/**
 * A ticket's notes about the alert's story (occurrences, resolves, closes), without the health
 * snapshot every new ticket gets from Level (written beside the run, so it may come at any time).
 */
export async function storyNotesOf(env: TestEnv, ticketId: string) {
  const notes = await env.em().find(TicketNoteSchema, { ticketId }, { orderBy: { createdAt: 'asc' } });
  return notes.filter((note) => !/^(Device health from Level|Health unavailable)/.test(note.body));
}

export function inboxOf(env: TestEnv, tenantId: string) {
  return env.em().find(WebhookInboxSchema, { tenantId });
}

/**
 * A suite's shared test environment and its own alert simulator: registers the suite's before and
 * after hooks (the simulator closes after the suite) and hands both to `started`.
 */
export function withAlertStack(started: (stack: { env: TestEnv; simulator: LevelSimulator }) => void): void {
  let simulator: LevelSimulator | undefined;
  before(async () => {
    const env = await getTestEnv();
    simulator = await startAlertSimulator();
    started({ env, simulator });
  });
  after(async () => {
    await simulator?.close();
  });
}

export async function startAlertSimulator(): Promise<LevelSimulator> {
  return startLevelSimulator({ fleet: alertFleet() });
}
