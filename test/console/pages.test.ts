// The alert pipeline's pages against the real API: a rule created with several fields, moved,
// disabled, edited and deleted; a weekly maintenance window with a time zone and a client scope;
// a ticket note. What the form sends must be what the contract accepts, so each step is checked
// through the API too.
import assert from 'node:assert/strict';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { goTo, signIn, until } from './console-steps';

describe('console: rules, windows and tickets in Chromium', function () {
  this.timeout(120_000);
  let env: TestEnv;
  const openTestPage = pagePerTest();
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator();
  });
  after(async () => {
    await simulator?.close();
  });

  async function signedIn() {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const opened = await openTestPage(env.apiUrl);
    await signIn(opened.page, tenant.token);
    return { api, page: opened.page };
  }

  it('creates, reorders, disables, edits and deletes alert rules', async () => {
    const { api, page } = await signedIn();
    const client = (await api.post('/api/v1/clients', { name: 'Rules Client' })).body;
    await goTo(page, 'Alert rules');
    for (const name of ['Disk rule', 'Servers rule']) {
      await page.getByRole('button', { name: 'New rule' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('checkbox', { name: 'critical' }).check();
      await page.getByRole('checkbox', { name: 'Rules Client' }).check();
      await page.getByLabel(/^Keywords/).fill('disk, full');
      await page.getByLabel('Priority').selectOption('high');
      await page.getByLabel('Title template').fill('{{device}}: {{alert}}');
      await page.getByRole('checkbox', { name: /Close the ticket when the alert resolves/ }).check();
      await page.getByRole('button', { name: 'Save rule' }).click();
      await page.getByRole('button', { name: `Edit ${name}` }).waitFor();
    }
    const rules = async () => (await api.get('/api/v1/alert-rules')).body.items as any[];
    const created = (await rules()).find((r) => r.name === 'Servers rule');
    assert.deepEqual(created.conditions, {
      severities: ['critical'],
      clientIds: [client.id],
      keywords: ['disk', 'full'],
    });
    assert.equal(created.actions.priority, 'high');
    assert.equal(created.actions.titleTemplate, '{{device}}: {{alert}}');
    assert.equal(created.actions.autoResolveTicket, true);

    await page.getByRole('button', { name: 'Move Servers rule up' }).click();
    await until(
      async () =>
        (await rules()).map((r) => r.name).indexOf('Servers rule') <
        (await rules()).map((r) => r.name).indexOf('Disk rule'),
    );
    // The page shows the new order once its reload lands; toggling before that would race it.
    const shownOrder = () =>
      page
        .locator('ol.rules button[aria-label$=" up"]')
        .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    await until(async () => {
      const order = await shownOrder();
      return order.indexOf('Move Servers rule up') < order.indexOf('Move Disk rule up');
    });

    await page.getByRole('checkbox', { name: 'Enabled: Disk rule' }).uncheck();
    await until(async () => (await rules()).find((r) => r.name === 'Disk rule').enabled === false);

    await page.getByRole('button', { name: 'Edit Disk rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Disk rule (renamed)');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('button', { name: 'Edit Disk rule (renamed)' }).waitFor();

    await page.getByRole('button', { name: 'Delete Disk rule (renamed)' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('button', { name: 'Edit Disk rule (renamed)' }).waitFor({ state: 'detached' });
    assert.deepEqual(
      (await rules()).map((r) => r.name).filter((n) => n.includes('rule')),
      ['Servers rule'],
    );
  });

  it('creates a weekly maintenance window with a time zone and a client scope, and a one-off one', async () => {
    const { api, page } = await signedIn();
    const client = (await api.post('/api/v1/clients', { name: 'Window Client' })).body;
    await goTo(page, 'Maintenance windows');
    await page.getByText('No maintenance windows').waitFor();
    await page.getByRole('button', { name: 'New window' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Patch night');
    await page.getByRole('checkbox', { name: 'Tuesday' }).check();
    await page.getByLabel('Start time').fill('23:00');
    await page.getByLabel('End time').fill('03:00');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Window Client' });
    await page.getByRole('button', { name: 'Save window' }).click();
    await page.getByRole('button', { name: 'Edit Patch night' }).waitFor();
    const [window] = (await api.get('/api/v1/maintenance-windows')).body.items;
    assert.deepEqual(window.recurrence, {
      days: [2, 6],
      startTime: '23:00',
      endTime: '03:00',
      timezone: 'Europe/Berlin',
    });
    assert.deepEqual(window.scope, { clientId: client.id });

    // A one-off window: the browser's local times become UTC instants.
    await page.getByRole('button', { name: 'New window' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Server move');
    await page.getByLabel('Schedule').selectOption({ label: 'One-off' });
    await page.getByLabel('Starts at').fill('2026-12-24T20:00');
    await page.getByLabel('Ends at').fill('2026-12-25T02:30');
    await page.getByRole('button', { name: 'Save window' }).click();
    await page.getByRole('button', { name: 'Edit Server move' }).waitFor();
    const oneOff = (await api.get('/api/v1/maintenance-windows')).body.items.find((w: any) => w.name === 'Server move');
    assert.equal(oneOff.startsAt, await page.evaluate(`new Date('2026-12-24T20:00').toISOString()`));
    assert.equal(oneOff.endsAt, await page.evaluate(`new Date('2026-12-25T02:30').toISOString()`));
    assert.equal(oneOff.recurrence, null);

    // A zone that does not exist is refused next to the field.
    await page.getByRole('button', { name: 'Edit Patch night' }).click();
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save window' }).click();
    await page
      .locator('.field', { has: page.getByLabel('Time zone') })
      .locator('.field-error')
      .waitFor();
  });

  it('creates a triage rule for alerts of unmapped devices', async () => {
    const { api, page } = await signedIn();
    await goTo(page, 'Alert rules');
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Triage');
    await page.getByRole('checkbox', { name: /Only alerts of devices no mapping covers/ }).check();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('button', { name: 'Edit Triage' }).waitFor();
    const triage = (await api.get('/api/v1/alert-rules')).body.items.find((r: any) => r.name === 'Triage');
    assert.deepEqual(triage.conditions, { unmapped: true });
    await page.getByText(/When the device is unmapped/).waitFor();
  });

  it('adds a note to a ticket', async () => {
    const { api, page } = await signedIn();
    // A ticket needs an alert: the test alert of a configured integration makes one.
    assert.equal(
      (await api.put('/api/v1/integrations/level', { apiKey: simulator.apiKey, baseUrl: simulator.url })).status,
      200,
    );
    // The test alert needs a synced device of a mapped group (else 409): map a device's group, sync.
    assert.equal((await api.post('/api/v1/integrations/level/discover-groups?wait=true')).body.status, 'completed');
    const groupId = simulator.fleet
      .sortedDeviceIds()
      .map((id) => simulator.fleet.device(id)!.group_id)
      .find((id) => id !== null)!;
    const client = (await api.post('/api/v1/clients', { name: 'Notes Inc' })).body;
    assert.equal(
      (
        await api.put(`/api/v1/integrations/level/groups/${encodeURIComponent(groupId)}/mapping`, {
          clientId: client.id,
        })
      ).status,
      200,
    );
    assert.equal((await api.post('/api/v1/integrations/level/device-sync?wait=true')).body.status, 'completed');
    const test = (await api.post('/api/v1/integrations/level/webhook/test')).body;
    assert.ok(test.ticketId, JSON.stringify(test));
    await goTo(page, 'Tickets');
    await page.getByLabel('Status').selectOption({ label: 'Open' });
    await page.getByRole('link', { name: /Test alert/ }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Checked the <b>disk</b> myself.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Checked the <b>disk</b> myself.').waitFor();
    const ticket = (await api.get(`/api/v1/tickets/${test.ticketId}`)).body;
    assert.ok(ticket.notes.some((n: any) => n.author === 'human' && n.body === 'Checked the <b>disk</b> myself.'));
  });
});
