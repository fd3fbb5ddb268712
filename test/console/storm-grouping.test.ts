// Storm grouping and the health snapshot in the console, against the real API, Temporal and a
// Level simulator: the storm settings under the rules round-trip through the API and a threshold
// out of range shows the API's message and saves nothing; a storm made by the real pipeline
// (threshold 3, four alerts of one client's devices) shows on the Tickets page as a storm with its
// alert count, its page lists its alerts (name, device, status), a ticket grouped into it links to
// it, and on the Alerts page its alerts say they are in the storm ticket; a ticket's health
// snapshot note keeps its line breaks.
import assert from 'node:assert/strict';
import { ACME_DEVICE, alertFleet, alertTenant, BASE, templateBody, waitFor, type AlertTenant } from '../alerts/fixture';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { goTo, signIn } from './console-steps';

const STORM_DEVICES = 4;
const stormDevice = (i: number) => `sw/dev+${i}`;

describe('console: storm grouping and ticket notes in Chromium', function () {
  this.timeout(150_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  const openTestPage = pagePerTest();

  before(async () => {
    env = await getTestEnv();
    const fleet = alertFleet();
    for (let i = 0; i < STORM_DEVICES; i += 1)
      fleet.addDevice({ id: stormDevice(i), hostname: `ACME-WS-${i}`, groupId: 'sr/v+' });
    simulator = await startLevelSimulator({ fleet });
  });
  after(async () => {
    await simulator?.close();
  });

  async function signedIn(t: AlertTenant) {
    const opened = await openTestPage(env.apiUrl);
    await signIn(opened.page, t.token);
    return opened.page;
  }

  it("saves the storm settings under the rules, and shows the API's message for a threshold out of range without saving", async () => {
    const t = await alertTenant(env, simulator);
    const page = await signedIn(t);
    await goTo(page, 'Alert rules');
    const section = page.getByRole('region', { name: 'Noise control: storm grouping' });
    await section.getByText(/200 devices of one client going offline within 5 minutes open one ticket/).waitFor();
    await section.getByText('Off: every alert a rule tickets opens its own ticket.').waitFor();
    const threshold = section.getByLabel('Threshold (alerts)');
    const window = section.getByLabel('Window (minutes)');
    const groupBy = section.getByLabel('Group by');
    const enabled = section.getByRole('checkbox', { name: 'Group alert storms into one ticket' });
    const save = section.getByRole('button', { name: 'Save storm grouping' });
    assert.deepEqual(
      [await threshold.inputValue(), await window.inputValue(), await groupBy.inputValue(), await enabled.isChecked()],
      ['10', '5', 'client', false],
      'the API defaults',
    );

    // Out of range: the API's own message under the field, nothing stored.
    const refused = await t.api.put('/api/v1/alert-settings', {
      storm: { enabled: true, threshold: 1001, windowMinutes: 5, groupBy: 'client' },
    });
    assert.equal(refused.status, 400);
    const apiMessage = (refused.body.error.details.fields as Array<{ field: string; message: string }>).find(
      (f) => f.field === 'storm.threshold',
    )!.message;
    await enabled.check();
    await threshold.fill('1001');
    await save.click();
    const fieldError = section
      .locator('.field', { has: page.getByLabel('Threshold (alerts)') })
      .locator('.field-error');
    await fieldError.waitFor();
    assert.equal(await fieldError.textContent(), apiMessage);
    assert.equal(await threshold.getAttribute('aria-invalid'), 'true');
    await section.getByText('Not saved: check threshold.').waitFor();
    assert.equal(await section.getByText('Storm grouping saved.').count(), 0);
    assert.deepEqual((await t.api.get('/api/v1/alert-settings')).body, {
      storm: { enabled: false, threshold: 10, windowMinutes: 5, groupBy: 'client' },
    });

    await threshold.fill('3');
    await window.fill('15');
    await groupBy.selectOption({ label: 'Client and condition (each alert name apart)' });
    await save.click();
    await section.getByText('Storm grouping saved.').waitFor();
    await section
      .getByText('On: 3 alerts of one client and condition within 15 minutes open one storm ticket.')
      .waitFor();
    assert.equal(await fieldError.count(), 0);
    assert.deepEqual((await t.api.get('/api/v1/alert-settings')).body, {
      storm: { enabled: true, threshold: 3, windowMinutes: 15, groupBy: 'client_condition' },
    });

    // A reload shows what the API holds; turning it off keeps the numbers.
    await page.reload();
    await section.getByText(/^On: 3 alerts/).waitFor();
    assert.deepEqual(
      [await threshold.inputValue(), await window.inputValue(), await groupBy.inputValue(), await enabled.isChecked()],
      ['3', '15', 'client_condition', true],
    );
    await enabled.uncheck();
    await save.click();
    await section.getByText(/^Off:/).waitFor();
    assert.deepEqual((await t.api.get('/api/v1/alert-settings')).body, {
      storm: { enabled: false, threshold: 3, windowMinutes: 15, groupBy: 'client_condition' },
    });
  });

  it('shows a storm ticket with its badge and alerts, links a grouped ticket to it, and explains its alerts on the Alerts page', async () => {
    const t = await alertTenant(env, simulator);
    assert.equal((await t.api.post(`${BASE}/device-sync?wait=true`)).body.status, 'completed');
    assert.equal(
      (
        await t.api.put('/api/v1/alert-settings', {
          storm: { enabled: true, threshold: 3, windowMinutes: 5, groupBy: 'client' },
        })
      ).status,
      200,
    );
    const bodies = Array.from({ length: STORM_DEVICES }, (_, i) =>
      templateBody({
        device_id: stormDevice(i),
        hostname: `ACME-WS-${i}`,
        name: 'Ping loss',
        occurred_at: new Date(Date.now() - 1_000).toISOString(),
      }),
    );
    for (const body of bodies) assert.equal((await t.post(body)).status, 202);
    const ids = new Set(bodies.map((b) => b.alert_id));
    const stormAlerts = () =>
      t.api.get('/api/v1/alerts?limit=500').then((r) => (r.body.items as any[]).filter((a) => ids.has(a.levelAlertId)));
    // The storm ticket exists once the third alert arrives; wait for all four on it.
    const parent = await waitFor(
      'the storm ticket with its four alerts',
      async () => {
        const storm = ((await t.api.get('/api/v1/tickets')).body.items as any[]).find(
          (ticket) => ticket.kind === 'storm',
        );
        const alerts = await stormAlerts();
        return storm &&
          storm.childAlertIds.length === STORM_DEVICES &&
          alerts.length === STORM_DEVICES &&
          alerts.every((a) => a.ticketId === storm.id) &&
          / — 4 devices$/.test(storm.title)
          ? storm
          : null;
      },
      90_000,
    );
    const grouped = ((await t.api.get('/api/v1/tickets')).body.items as any[]).filter(
      (ticket) => ticket.parentTicketId === parent.id,
    );
    assert.ok(grouped.length >= 1, 'the alerts before the threshold had tickets of their own, now grouped');
    const child = grouped[0];
    const assets = (await t.api.get(`/api/v1/clients/${t.clientId}/assets?limit=500`)).body.items as Array<{
      levelDeviceId: string;
      name: string;
    }>;
    const deviceName = new Map(assets.map((a) => [a.levelDeviceId, a.name]));

    const page = await signedIn(t);
    await goTo(page, 'Tickets');
    const parentRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: parent.title, exact: true }) });
    await parentRow.locator('.badge', { hasText: 'Storm' }).waitFor();
    assert.equal(await parentRow.locator('.storm-count').textContent(), '4 alerts');
    const childRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: child.title, exact: true }) });
    const childLink = childRow.getByRole('link', { name: `storm ticket #${parent.number}` });
    await childLink.waitFor();
    assert.match(
      (await childRow.locator('th').innerText()).replace(/\s+/g, ' '),
      new RegExp(`Grouped into storm ticket #${parent.number}`),
    );
    assert.equal(
      await childRow.locator('.badge', { hasText: 'Storm' }).count(),
      0,
      'a grouped ticket is not a storm ticket',
    );

    // The grouped ticket's page links to the storm ticket; that page lists the storm's alerts.
    await childRow.getByRole('link', { name: child.title, exact: true }).click();
    await page.getByRole('heading', { name: `Ticket #${child.number}: ${child.title}`, level: 1 }).waitFor();
    await page
      .locator('.notice')
      .getByText(/its alerts continue there/)
      .waitFor();
    await page
      .locator('.notice')
      .getByRole('link', { name: `storm ticket #${parent.number}` })
      .click();
    await page.getByRole('heading', { name: `Ticket #${parent.number}: ${parent.title}`, level: 1 }).waitFor();
    assert.equal(await page.locator('.notice').count(), 0, 'the storm ticket is grouped into nothing');
    const alertsCard = page.getByRole('region', { name: `Alerts of this storm (${STORM_DEVICES})` });
    await alertsCard
      .locator('tbody tr')
      .nth(STORM_DEVICES - 1)
      .waitFor();
    assert.equal(await alertsCard.locator('tbody tr').count(), STORM_DEVICES);
    const rows = await alertsCard
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          ['Alert', 'Device', 'Status'].map((label) => tr.querySelector(`[data-label="${label}"]`)?.textContent ?? ''),
        ),
      );
    const expected = bodies.map((b) => ['Ping loss', deviceName.get(b.device_id as string) ?? '(no asset)', 'active']);
    assert.deepEqual([...rows].sort(), [...expected].sort());
    assert.ok(
      expected.every(([, device]) => device !== '(no asset)'),
      'each device is an asset of the client',
    );

    // On the Alerts page, each alert of the storm says why it has no ticket of its own.
    await goTo(page, 'Alerts');
    const stormRows = page.getByRole('row', { name: /Ping loss/ });
    await stormRows.nth(STORM_DEVICES - 1).waitFor();
    await stormRows.first().locator('.status-help').waitFor();
    for (const help of await stormRows.locator('td[data-label="Status"] .status-help').allTextContents()) {
      assert.equal(help, `Part of an alert storm — no ticket of its own; in storm ticket #${parent.number}.`);
    }
    assert.equal(await stormRows.locator('td[data-label="Status"] .status-help').count(), STORM_DEVICES);
    await stormRows
      .first()
      .locator('td[data-label="Status"]')
      .getByRole('link', { name: `storm ticket #${parent.number}` })
      .click();
    await page.getByRole('heading', { name: `Ticket #${parent.number}: ${parent.title}`, level: 1 }).waitFor();
    // Nothing scrolls sideways on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
  });

  it("shows a ticket's health snapshot note with its line breaks", async () => {
    const t = await alertTenant(env, simulator);
    const body = templateBody({ device_id: ACME_DEVICE, name: 'Disk space low (health)' });
    assert.equal((await t.post(body)).status, 202);
    const alert = await waitFor('the ticket', async () =>
      ((await t.api.get('/api/v1/alerts')).body.items as any[]).find(
        (a) => a.levelAlertId === body.alert_id && a.ticketId,
      ),
    );
    const note = await waitFor(
      'the health snapshot note',
      async () =>
        ((await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body.notes as Array<{ body: string }>).find((n) =>
          /^(Device health from Level|Health unavailable)/.test(n.body),
        ),
      30_000,
    );
    const lines = note.body.split('\n');
    assert.ok(lines.length >= 3, note.body);
    const ticket = (await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body;

    const page = await signedIn(t);
    await goTo(page, 'Tickets');
    await page.getByRole('link', { name: ticket.title, exact: true }).click();
    const shown = page.locator('.note-body', { hasText: lines[0]! });
    await shown.waitFor();
    // innerText follows the CSS: with the line breaks collapsed it would read as one line.
    assert.equal(await shown.innerText(), note.body);
    const box = (await shown.boundingBox())!;
    const lineHeight = await shown.evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).lineHeight));
    assert.ok(
      box.height >= lines.length * lineHeight - 1,
      `one line per field: ${box.height}px for ${lines.length} lines of ${lineHeight}px`,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      0,
      'long lines wrap on a phone',
    );
  });
});
