// The seed's whole walk-through, by clicking in real Chromium against a Level simulator over
// HTTP, the real API, Temporal and PostgreSQL: sign in → key → Save Configuration → Test
// Connection → Connected → Discover Groups → map a top-level group → its subgroup inherits →
// Run Device Sync (progress, then counts) → Backfill Alerts → the alert links to its ticket →
// the client's assets are the group's devices →
// reveal the webhook secret, copy the payload template → Send test alert → the ticket is on the
// Tickets page → close it.
import assert from 'node:assert/strict';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { card, goTo, loadAll, mappedClient, saveKey, signIn, until } from './console-steps';

const ACME_DEVICES = 150;
const BRANCH_DEVICES = 100;

/** Acme Corp (with a Branch Office subgroup) and Globex, which stays unmapped. */
function walkFleet(): Fleet {
  const fleet = new Fleet({ seed: 9 });
  fleet.addGroup({ id: 'ac/me+1', name: 'Acme Corp', parentId: null });
  fleet.addGroup({ id: 'br+anch', name: 'Branch Office', parentId: 'ac/me+1' });
  fleet.addGroup({ id: 'glo/bex', name: 'Globex', parentId: null });
  for (let i = 0; i < ACME_DEVICES; i++)
    fleet.addDevice({ id: `acme/${i}`, hostname: `ACME-WS-${i}`, groupId: 'ac/me+1' });
  for (let i = 0; i < BRANCH_DEVICES; i++)
    fleet.addDevice({ id: `branch+${i}`, hostname: `BRANCH-WS-${i}`, groupId: 'br+anch' });
  fleet.addDevice({ id: 'globex-1', hostname: 'GLOBEX-1', groupId: 'glo/bex' });
  fleet.addAlert({ id: 'al/disk+1', deviceId: 'acme/7', name: 'Disk almost full', severity: 'critical' });
  return fleet;
}

describe('console: the seed walk-through in Chromium', function () {
  this.timeout(180_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  const openTestPage = pagePerTest();

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: walkFleet() });
  });
  after(async () => {
    await simulator?.close();
  });

  it('connects, maps, syncs, checks the assets, sends a test alert and closes its ticket', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const opened = await openTestPage(env.apiUrl);
    const { page } = opened;

    await signIn(page, tenant.token);
    await saveKey(page, simulator.apiKey, simulator.url);
    const connection = card(page, 'Level Connection');
    await connection.getByRole('button', { name: 'Test Connection' }).click();
    await connection.getByText('Connected', { exact: true }).waitFor();
    assert.equal((await api.get('/api/v1/integrations/level')).body.status, 'connected');

    const mappings = card(page, 'Sync & Group Mappings');
    await mappings.getByText('No groups yet — click Discover Groups').waitFor();
    await mappings.getByRole('button', { name: 'Discover Groups' }).click();
    await mappedClient(page, 'Acme Corp').waitFor();
    await mappedClient(page, 'Acme Corp').selectOption({ label: 'New client…' });
    await page.getByLabel('New client name').fill('Acme');
    await page.getByRole('button', { name: 'Create and map' }).click();
    const branchRow = mappings.getByRole('row', { name: /Branch Office/ });
    await branchRow.getByText('inherits Acme from Acme Corp').waitFor();
    assert.equal(
      await mappings
        .getByRole('row', { name: /Globex/ })
        .getByRole('cell', { name: 'skipped' })
        .count(),
      1,
    );

    // Slow Level down so the run is still going when the console polls it.
    simulator.latencyMs = 400;
    await mappings.getByRole('button', { name: 'Run Device Sync' }).click();
    await mappings.getByText(/devices done/).waitFor();
    await mappings
      .getByText(`Device sync finished: ${ACME_DEVICES + BRANCH_DEVICES} created`)
      .waitFor({ timeout: 60_000 });
    simulator.latencyMs = 0;
    await mappings
      .getByLabel('Summary')
      .getByText(`${ACME_DEVICES + BRANCH_DEVICES}`, { exact: true })
      .waitFor();
    const runLink = mappings.getByRole('link', { name: 'View run in Temporal UI' }).last();
    assert.match(
      (await runLink.getAttribute('href'))!,
      new RegExp(`^${env.config.temporalUiUrl}/namespaces/default/workflows/level%2F`),
    );

    // Backfill brings Level's current alert in; the catch-all rule opens its ticket.
    await mappings.getByRole('button', { name: 'Backfill Alerts' }).click();
    await mappings.getByText('Backfill finished: 1 fetched, 1 new').waitFor();
    // The backfill hands the alert to its own run, which routes it a moment later; the Alerts
    // page reads the list once when it opens.
    await until(async () =>
      ((await api.get('/api/v1/alerts')).body.items as any[]).some((alert) => alert.ticketId !== null),
    );
    await goTo(page, 'Alerts');
    await page
      .getByRole('row', { name: /Disk almost full/ })
      .getByRole('link', { name: 'Open ticket' })
      .waitFor();

    await goTo(page, 'Clients & assets');
    await page.getByRole('link', { name: 'Acme', exact: true }).click();
    const assets = page.getByRole('region', { name: 'Assets of Acme' });
    await assets.getByRole('table').waitFor();
    // Servers that paginate hand out a cursor: the list offers Load more until it has them all.
    // Each further page is held a moment, so the button's busy state ("Loading…") always shows.
    await page.route(/\/assets\?.*cursor=/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await loadAll(assets);
    const hostnames = await assets.locator('tbody th').allTextContents();
    const expected = [
      ...simulator.fleet.sortedDeviceIdsInGroup('ac/me+1'),
      ...simulator.fleet.sortedDeviceIdsInGroup('br+anch'),
    ].map((id) => simulator.fleet.device(id)!.hostname);
    assert.deepEqual([...hostnames].sort(), [...expected].sort());

    await goTo(page, 'Level');
    const webhook = card(page, 'Alert Webhook');
    const secretInput = webhook.getByLabel('Header value');
    assert.match(await secretInput.inputValue(), /^•+/);
    await webhook.getByRole('button', { name: 'Reveal secret' }).click();
    const revealed = (await api.get('/api/v1/integrations/level/webhook?reveal=true')).body;
    await webhook.getByRole('button', { name: 'Hide secret' }).waitFor();
    assert.equal(await secretInput.inputValue(), revealed.header.value);
    await webhook.getByRole('button', { name: 'Copy payload template' }).click();
    await webhook.getByText('Copied').waitFor();
    const clipboard = await page.evaluate('navigator.clipboard.readText()');
    assert.deepEqual(JSON.parse(clipboard as string), revealed.payloadTemplate);

    await webhook.getByRole('button', { name: 'Send test alert' }).click();
    const ticketLink = webhook.getByRole('link', { name: /ticket #\d+/ });
    await ticketLink.waitFor();
    const ticketTitle = (await ticketLink.textContent())!.replace(/^ticket #\d+ /, '');

    await goTo(page, 'Tickets');
    await page.getByRole('link', { name: ticketTitle }).first().click();
    await page.getByRole('button', { name: 'Close ticket' }).click();
    await page.getByRole('button', { name: 'Reopen ticket' }).waitFor();
    const tickets = (await api.get('/api/v1/tickets')).body.items;
    // Everything ran under the console's CSP (no inline script, no eval), without a page error;
    // the only errors logged are the API's 404s for what was not configured yet.
    assert.deepEqual(
      opened.consoleErrors.filter((text) => !/^Failed to load resource: .* 404 /.test(text)),
      [],
    );
    assert.deepEqual(
      tickets.map((t: any) => [t.title.includes('Disk almost full') ? 'backfilled' : 'test', t.status]).sort(),
      [
        ['backfilled', 'open'],
        ['test', 'closed'],
      ],
    );
  });
});
