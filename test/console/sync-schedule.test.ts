// The Sync & Group Mappings card's scheduled sync and sync history against the real API and
// Temporal: turning the schedule on with an interval saves it (the API then answers it), an
// interval out of range shows the API's own message under the field and changes nothing; a sync
// run appears in the history (trigger, status, counts, duration, its Temporal UI link) once Run
// Device Sync finishes, a scheduled one as "Schedule", and older runs behind "Load more".
import assert from 'node:assert/strict';
import { syncScheduleId } from '../../contracts/workflow-ids';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { LEVEL, scheduledSyncTenants } from '../support/level-tenant';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { card, signIn, until } from './console-steps';

describe('console: scheduled sync and sync history in Chromium', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  const openTestPage = pagePerTest();
  const mappedLevelTenant = scheduledSyncTenants();

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: { seed: 31, groups: 2, depth: 1, devices: 6, alerts: 0 } });
  });
  after(async () => {
    await simulator?.close();
  });

  /** A tenant with its key saved and one top-level group mapped, signed in on the Level page. */
  async function mappedTenant() {
    const t = await mappedLevelTenant(env, simulator, 'Scheduled Co');
    const opened = await openTestPage(env.apiUrl);
    await signIn(opened.page, t.tenant.token);
    return { ...t, page: opened.page };
  }

  it("turns the scheduled sync on with an interval, shows the API's error for one out of range, and turns it off", async () => {
    const t = await mappedTenant();
    const schedule = t.page.getByRole('region', { name: 'Scheduled sync' });
    const every = schedule.getByLabel('Every (minutes)');
    const save = schedule.getByRole('button', { name: 'Save schedule' });
    await schedule.getByText('Off.', { exact: true }).waitFor();
    assert.equal(await every.inputValue(), '60', 'the default interval, off by default');

    await schedule.getByRole('checkbox', { name: 'Sync devices on a schedule' }).check();
    await every.fill('30');
    await save.click();
    await schedule.getByText('Schedule saved.').waitFor();
    await schedule.getByText(/^On: every 30 minutes; next run in /).waitFor();
    const saved = (await t.api.get(`${LEVEL}/sync-schedule`)).body;
    assert.deepEqual([saved.enabled, saved.intervalMinutes], [true, 30]);
    assert.ok(Date.parse(saved.nextRunAt) > Date.now());

    // Out of range: the message is the API's own, under the field; the schedule is unchanged.
    const refused = await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 10 });
    assert.equal(refused.status, 400);
    const apiMessage = (refused.body.error.details.fields as Array<{ field: string; message: string }>).find(
      (f) => f.field === 'intervalMinutes',
    )!.message;
    await every.fill('10');
    await save.click();
    const fieldError = schedule
      .locator('.field', { has: t.page.getByLabel('Every (minutes)') })
      .locator('.field-error');
    await fieldError.waitFor();
    assert.equal(await fieldError.textContent(), apiMessage);
    assert.equal(await every.getAttribute('aria-invalid'), 'true');
    await schedule.getByText('Not saved: check interval minutes.').waitFor();
    assert.equal(await schedule.getByText('Schedule saved.').count(), 0);
    assert.deepEqual((await t.api.get(`${LEVEL}/sync-schedule`)).body.intervalMinutes, 30);

    // Off, with a new interval kept: a reload shows what the API holds.
    await every.fill('45');
    await schedule.getByRole('checkbox', { name: 'Sync devices on a schedule' }).uncheck();
    await save.click();
    await schedule.getByText('Off.', { exact: true }).waitFor();
    assert.deepEqual((await t.api.get(`${LEVEL}/sync-schedule`)).body, {
      enabled: false,
      intervalMinutes: 45,
      nextRunAt: null,
      note: 'Disabled in the service (PUT sync-schedule)',
    });
    await t.page.reload();
    await schedule.getByText('Off.', { exact: true }).waitFor();
    assert.equal(await every.inputValue(), '45');
    assert.equal(await schedule.getByRole('checkbox', { name: 'Sync devices on a schedule' }).isChecked(), false);
  });

  it('lists a run in the history once Run Device Sync finishes, a scheduled run as Schedule, and older runs behind Load more', async () => {
    const t = await mappedTenant();
    const mappings = card(t.page, 'Sync & Group Mappings');
    const history = t.page.getByRole('region', { name: 'Sync history' });
    await history.getByText('No device sync has run yet.').waitFor();
    await mappings.getByText('Last sync: never').waitFor();

    await mappings.getByRole('button', { name: 'Run Device Sync' }).click();
    await mappings.getByText(/Device sync finished: \d+ created/).waitFor({ timeout: 60_000 });
    const [run] = (await t.api.get(`${LEVEL}/sync-runs`)).body.items;
    assert.ok(run.result.created > 0, JSON.stringify(run));
    const row = history.locator('tbody tr');
    await row.getByText(`${run.result.created} created · 0 updated · 0 moved · 0 archived · 0 failed`).waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('td[data-label="Trigger"]').textContent(), 'Manual');
    assert.equal(await row.locator('td[data-label="Status"]').textContent(), 'completed');
    assert.match((await row.locator('td[data-label="Duration"]').textContent())!, /^\d+(\.\d)? s$|^\d+ min \d+ s$/);
    // The row links to its own run, not to the tenant's latest sync.
    const link = row.getByRole('link', { name: 'Temporal UI' });
    assert.ok(run.runId, JSON.stringify(run));
    assert.equal(
      await link.getAttribute('href'),
      `${env.config.temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}/history`,
    );
    // The integration's lastSyncAt, beside the summary.
    await mappings.getByText('Last sync: never').waitFor({ state: 'detached' });
    assert.equal(
      await mappings.locator('.status-line time').getAttribute('datetime'),
      (await t.api.get(LEVEL)).body.lastSyncAt,
    );

    // A run the schedule started (triggered now rather than in an hour) reads "Schedule".
    assert.equal((await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 60 })).status, 200);
    await env.temporalClient.schedule.getHandle(syncScheduleId(t.tenant.tenantId)).trigger();
    await until(async () => (await t.api.get(`${LEVEL}/sync-runs`)).body.items[0].trigger === 'schedule', 60_000);
    // Its row is written while the run works; the next sync may start once the run itself closed.
    await env.temporalClient.workflow.getHandle(run.workflowId).result();
    // More runs than one page (10): the rest come with Load more.
    for (let i = 0; i < 9; i++) await t.sync();
    await t.page.reload();
    await history.locator('tbody tr').nth(9).waitFor();
    assert.equal(await history.locator('tbody tr').count(), 10);
    await history.getByRole('button', { name: 'Load more' }).click();
    await history.locator('tbody tr').nth(10).waitFor();
    assert.equal(await history.getByRole('button', { name: 'Load more' }).count(), 0);
    const triggers = await history.locator('td[data-label="Trigger"]').allTextContents();
    assert.deepEqual(triggers, [...Array<string>(9).fill('Manual'), 'Schedule', 'Manual']);
    // On a phone the rows become blocks: nothing scrolls sideways.
    await t.page.setViewportSize({ width: 390, height: 844 });
    assert.equal(
      await t.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      0,
    );
  });
});
