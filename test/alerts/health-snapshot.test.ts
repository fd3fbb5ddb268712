// The health snapshot activity against the real database and the Level simulator over HTTP: the
// note shows the simulator's device, a second ticket of the device within the reuse window asks
// Level nothing, a failing Level leaves a "Health unavailable" note without failing, and a
// retried action writes one note.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AlertSnapshot } from '../../contracts/alerts';
import {
  createHealthSnapshotActivities,
  type HealthSnapshotOptions,
  type RecordHealthSnapshotInput,
} from '../../activities/health-snapshot';
import { LevelIntegrationSchema } from '../../db/entities';
import { conditionKeyFor, listNotes, openOrAppendTicketId } from '../../db/ticket-store';
import type { LevelSimulator } from '../../simulator';
import type { SecurityItem } from '../../simulator/documents';
import { activityDepsOf, getTestEnv, type TestEnv } from '../support/test-env';
import { alertTenant, startAlertSimulator, type AlertTenant } from './fixture';

const DEVICE = 'he/alth+1';
const OTHER_DEVICE = 'he/alth+2';
const THIRD_DEVICE = 'he/alth+3';

describe('Health snapshot activity', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let tenant: AlertTenant;
  let integrationId: string;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    simulator.fleet.addDevice({
      id: DEVICE,
      hostname: 'HEALTH-WS-1',
      groupId: 'sr/v+',
      role: 'workstation',
      platform: 'Windows',
      nickname: null,
      last_logged_in_user: 'marta',
    });
    simulator.fleet.addDevice({ id: OTHER_DEVICE, hostname: 'HEALTH-WS-2', groupId: 'sr/v+', role: 'workstation' });
    simulator.fleet.addDevice({ id: THIRD_DEVICE, hostname: 'HEALTH-WS-3', groupId: 'sr/v+', role: 'workstation' });
    tenant = await alertTenant(env, simulator);
    integrationId = (await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: tenant.tenantId })).id;
  });

  after(async () => {
    await simulator?.close();
  });

  afterEach(() => simulator.faults.clear());

  function activities(options: HealthSnapshotOptions = {}, levelRequestsPerMinute = 6000) {
    return createHealthSnapshotActivities(activityDepsOf(env, levelRequestsPerMinute), options);
  }

  /** A ticket opened for an alert on the device, through the ticket store the routing uses. */
  async function snapshotInput(
    levelDeviceId: string,
    alert: Partial<AlertSnapshot> & { payload?: string } = {},
  ): Promise<RecordHealthSnapshotInput> {
    const snapshot = {
      levelAlertId: `health/${randomUUID()}`,
      levelDeviceId,
      name: `Disk space low ${randomUUID()}`,
      description: 'C: has 2% free',
      severity: 'critical' as const,
      startedAt: new Date().toISOString(),
      resolvedAt: null,
      hostname: null,
      levelGroupId: 'sr/v+',
      ...alert,
    };
    const { ticketId } = await openOrAppendTicketId(env.em(), {
      tenantId: tenant.tenantId,
      levelDeviceId,
      conditionKey: conditionKeyFor(levelDeviceId, snapshot.name),
      alertId: randomUUID(),
      title: snapshot.name,
      description: snapshot.description ?? '',
      priority: 'high',
      clientId: tenant.clientId,
    });
    return { tenantId: tenant.tenantId, integrationId, ticketId, levelDeviceId, snapshot, actionId: randomUUID() };
  }

  const devicePath = (id: string) => `/v2/devices/${encodeURIComponent(id)}`;
  const notesOf = async (ticketId: string) => (await listNotes(env.em(), ticketId)).map((note) => note.body);

  it("notes the simulator device's health and the alert's output, and reuses the reading for the device's next ticket", async () => {
    const health = activities();
    const first = await snapshotInput(DEVICE, { payload: 'Top processes:\n  sqlservr.exe 71%\n  chrome.exe 12%' });
    const before = simulator.stats.countFor(devicePath(DEVICE));
    const outcome = await health.recordHealthSnapshot(first);
    assert.equal(outcome.outcome, 'health_noted');
    assert.equal(simulator.stats.countFor(devicePath(DEVICE)), before + 1);

    const [note, ...others] = await notesOf(first.ticketId);
    assert.equal(others.length, 0);
    const lines = note!.split('\n');
    const device = simulator.fleet.deviceDocument(DEVICE, ['operating_system', 'security'])!;
    const item = (type: string) => (device.security as SecurityItem[]).find((entry) => entry.type === type)!;
    const os = device.operating_system!;
    const eolPast = Date.parse(os.end_of_life!) <= Date.now();
    const expected = [
      `Device: ${device.hostname}`,
      `Online: ${device.online ? 'yes' : 'no'}`,
      `Last seen: ${device.last_seen_at.slice(0, 16).replace('T', ' ')} UTC`,
      `Last logged-in user: marta`,
      `OS: ${os.full_operating_system} (${eolPast ? 'PAST END OF LIFE since' : 'end of life'} ${os.end_of_life!.slice(0, 10)})`,
      `Antivirus: ${item('antivirus').name}, ${item('antivirus').enabled ? 'enabled' : 'DISABLED'}, ${item('antivirus').up_to_date ? 'up to date' : 'OUT OF DATE'}`,
      `Firewall: ${item('firewall').enabled ? 'enabled' : 'DISABLED'}`,
      `Patches: ${item('patches').compliant ? 'compliant' : 'NOT COMPLIANT'}, ${item('patches').pending_updates} pending update${item('patches').pending_updates === 1 ? '' : 's'}`,
      `Disk encryption: ${item('disk_encryption').name}, ${item('disk_encryption').enabled ? 'on' : 'OFF'}`,
      `Security score: ${device.security_score}/100`,
      'Alert description: C: has 2% free',
      'Alert output:',
      'Top processes:',
      '  sqlservr.exe 71%',
      '  chrome.exe 12%',
    ];
    assert.match(lines[0]!, /^Device health from Level \(read \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);
    assert.deepEqual(lines.slice(1), expected);

    // Another alert of the same device opens another ticket a moment later: Level is not asked again.
    const second = await snapshotInput(DEVICE, { name: 'CPU high' });
    const reused = await health.recordHealthSnapshot(second);
    assert.deepEqual(reused, {
      outcome: 'health_noted',
      ticketId: second.ticketId,
      readAt: outcome.outcome === 'health_noted' ? outcome.readAt : '',
      reused: true,
    });
    assert.equal(simulator.stats.countFor(devicePath(DEVICE)), before + 1);
    const [secondNote] = await notesOf(second.ticketId);
    assert.deepEqual(secondNote!.split('\n').slice(0, 11), lines.slice(0, 11));

    // The reading is shared through the database: another worker's activities reuse it too, and past the window Level is asked.
    await activities().recordHealthSnapshot(await snapshotInput(DEVICE, { name: 'Memory high' }));
    assert.equal(simulator.stats.countFor(devicePath(DEVICE)), before + 1);
    await activities({ reuseMs: 0 }).recordHealthSnapshot(await snapshotInput(DEVICE, { name: 'Service stopped' }));
    assert.equal(simulator.stats.countFor(devicePath(DEVICE)), before + 2);
  });

  it('leaves a short "Health unavailable" note, without failing, when Level answers errors, hangs, refuses the key or the budget is spent', async () => {
    const cases: Array<{
      name: string;
      fault?: Parameters<LevelSimulator['faults']['inject']>[0];
      options?: HealthSnapshotOptions;
      perMinute?: number;
      reason: string;
    }> = [
      {
        name: '5xx',
        fault: { status: 503, times: 2, pathPrefix: '/v2/devices/' },
        reason: 'Level answered with a server error (HTTP 503)',
      },
      {
        name: '401',
        fault: { status: 401, pathPrefix: '/v2/devices/', body: { error: `bad key ${simulator.apiKey}` } },
        reason: 'Level rejected the API key (HTTP 401)',
      },
      {
        name: 'timeout',
        fault: { kind: 'hang', times: 2, pathPrefix: '/v2/devices/' },
        options: { levelTimeoutMs: 300 },
        reason: 'Level did not answer in time',
      },
      {
        name: 'budget',
        perMinute: 1,
        options: { budgetWaitMs: 200 },
        reason: 'the Level request budget is used up for now (nothing was sent)',
      },
    ];
    for (const c of cases) {
      if (c.fault) simulator.faults.inject(c.fault);
      const health = activities({ reuseMs: 0, ...c.options }, c.perMinute);
      // The budget case: the one token a minute allows is spent first (that call succeeds).
      if (c.name === 'budget')
        assert.equal((await health.recordHealthSnapshot(await snapshotInput(OTHER_DEVICE))).outcome, 'health_noted');
      const input = await snapshotInput(OTHER_DEVICE, { payload: 'exit code 1' });
      const outcome = await health.recordHealthSnapshot(input);
      assert.deepEqual(outcome, { outcome: 'health_unavailable', ticketId: input.ticketId, reason: c.reason }, c.name);
      const notes = await notesOf(input.ticketId);
      assert.deepEqual(
        notes,
        [`Health unavailable: ${c.reason}\nAlert description: C: has 2% free\nAlert output:\nexit code 1`],
        c.name,
      );
      assert.ok(!notes[0]!.includes(simulator.apiKey), c.name);
      simulator.faults.clear();
    }
  });

  it('writes one note for a retried action, also when both attempts run at once, and asks Level once', async () => {
    const health = activities();
    const input = await snapshotInput(THIRD_DEVICE);
    const before = simulator.stats.countFor(devicePath(THIRD_DEVICE));
    const [a, b] = await Promise.all([health.recordHealthSnapshot(input), health.recordHealthSnapshot(input)]);
    assert.deepEqual(a, b);
    assert.equal(a.outcome, 'health_noted');
    assert.deepEqual(await health.recordHealthSnapshot(input), a);
    assert.equal((await notesOf(input.ticketId)).length, 1);
    assert.equal(
      simulator.stats.countFor(devicePath(THIRD_DEVICE)),
      before + 1,
      'the concurrent attempts shared one reading; the retry asked nothing',
    );
  });
});
