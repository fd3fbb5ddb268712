// What the console must get right besides the happy path: a rejected key, a server validation
// error next to its field, Level text that is only ever text, the session's end, and a page that
// fits a phone and can be worked with the keyboard.
import assert from 'node:assert/strict';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { card, goTo, mappedClient, saveKey, signIn } from './console-steps';

const XSS_NAME = '<img src=x onerror=alert(1)>';

function guardFleet(): Fleet {
  const fleet = new Fleet({ seed: 3 });
  fleet.addGroup({ id: 'x/ss+1', name: XSS_NAME, parentId: null });
  fleet.addGroup({ id: 'plain', name: 'Plain Group', parentId: 'x/ss+1' });
  fleet.addDevice({ id: 'dev/x', hostname: 'XSS-HOST', groupId: 'x/ss+1' });
  return fleet;
}

describe('console: guards in Chromium', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  const openTestPage = pagePerTest();

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: guardFleet() });
  });
  after(async () => {
    await simulator?.close();
  });

  /** A tenant whose key is saved and groups discovered through the API, signed in in a fresh page. */
  async function signedIn(viewport?: { width: number; height: number }) {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const opened = await openTestPage(env.apiUrl, viewport);
    await signIn(opened.page, tenant.token);
    return { tenant, api, page: opened.page, dialogs: opened.dialogs };
  }

  it('shows a rejected key on the Level Connection card and keeps the saved key', async () => {
    const { api, page } = await signedIn();
    await saveKey(page, 'wrong-level-key-9z8y', simulator.url);
    const connection = card(page, 'Level Connection');
    await connection.getByRole('button', { name: 'Test Connection' }).click();
    await connection.getByText(/Connection test failed: Level rejected the API key/).waitFor();
    await page.reload();
    await connection.getByText(/Last error: Level rejected the API key/).waitFor();
    await connection.getByText('Saved key: …9z8y', { exact: false }).waitFor();
    const integration = (await api.get('/api/v1/integrations/level')).body;
    assert.equal(integration.apiKeyHint, '…9z8y');
    assert.equal(integration.status, 'error');

    // Disconnect asks first; confirmed, the key is gone and the cards say what to do.
    await connection.getByRole('button', { name: 'Disconnect' }).click();
    await connection.getByRole('button', { name: 'Yes, disconnect' }).click();
    await connection.getByText('Disconnected', { exact: true }).waitFor();
    await card(page, 'Alert Webhook')
      .getByText(/Save a Level API key/)
      .waitFor();
    assert.equal((await api.get('/api/v1/integrations/level')).body.apiKeyHint, null);
  });

  it('shows a refused base URL next to its field, under Advanced, and saves nothing', async () => {
    const { api, page } = await signedIn();
    await page.getByLabel('API key').fill(simulator.apiKey);
    await page.getByText('Advanced').click();
    const baseUrl = page.getByLabel('Base URL');
    await baseUrl.fill('https://level.example.com');
    await page.getByRole('button', { name: 'Save Configuration' }).click();
    const error = page.locator('.field', { has: baseUrl }).locator('.field-error');
    await error.waitFor();
    assert.ok((await error.textContent())!.length > 0);
    assert.equal(await baseUrl.getAttribute('aria-invalid'), 'true');
    assert.equal((await api.get('/api/v1/integrations/level')).status, 404);
  });

  it('shows an invalid rule pattern next to the pattern field', async () => {
    const { api, page } = await signedIn();
    await goTo(page, 'Alert rules');
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Broken pattern');
    const pattern = page.getByLabel('Pattern (regular expression)');
    await pattern.fill('(disk');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Not saved: check pattern.').waitFor();
    const describedBy = await pattern.getAttribute('aria-describedby');
    assert.ok(describedBy);
    const errorText = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    assert.match(errorText!, /regular expression/);
    assert.equal(await pattern.getAttribute('aria-invalid'), 'true');
    // The error sits in the pattern's own field, right under it.
    assert.equal(await page.locator('.field', { has: pattern }).locator('.field-error').textContent(), errorText);
    assert.equal(
      (await api.get('/api/v1/alert-rules')).body.items.some((r: any) => r.name === 'Broken pattern'),
      false,
    );
  });

  it('renders a group named like markup as text and runs nothing', async () => {
    const { api, page, dialogs } = await signedIn();
    assert.equal(
      (await api.put('/api/v1/integrations/level', { apiKey: simulator.apiKey, baseUrl: simulator.url })).status,
      200,
    );
    assert.equal((await api.post('/api/v1/integrations/level/discover-groups?wait=true')).body.status, 'completed');
    await page.reload();
    const mappings = card(page, 'Sync & Group Mappings');
    await mappings.getByText(XSS_NAME, { exact: true }).first().waitFor();
    // The group's name and its path: both the literal characters.
    assert.equal(await mappings.getByText(XSS_NAME, { exact: true }).count(), 2);
    await mappedClient(page, `${XSS_NAME} / Plain Group`).waitFor();
    assert.equal(await page.locator('img').count(), 0);
    // An onerror handler would have run by the time the page settled; wait for that, then look.
    await page.waitForLoadState('networkidle');
    assert.deepEqual(dialogs, []);
  });

  it('returns to sign-in after Sign out, and when a stored token stops working', async () => {
    const { page } = await signedIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);

    await page.evaluate(`sessionStorage.setItem('levelConsole.token', 'stale-token-that-was-revoked')`);
    await page.reload();
    await page.getByText(/Your session ended/).waitFor();
    await page.getByLabel('Admin token').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
  });

  it('fits a phone screen without horizontal scrolling and works with the keyboard', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    assert.equal(
      (await api.put('/api/v1/integrations/level', { apiKey: simulator.apiKey, baseUrl: simulator.url })).status,
      200,
    );
    assert.equal((await api.post('/api/v1/integrations/level/discover-groups?wait=true')).body.status, 'completed');
    const { page } = await openTestPage(env.apiUrl, { width: 390, height: 844 });
    await page.goto('/');
    // Keyboard only: the token field has focus after a Tab, Enter submits.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.id === document.querySelector("label").htmlFor'), true);
    await page.keyboard.type(tenant.token);
    await page.keyboard.press('Enter');
    await mappedClient(page, `${XSS_NAME} / Plain Group`).waitFor();
    for (const page_ of ['Level', 'Alert rules', 'Maintenance windows', 'Tickets', 'Alerts', 'Clients & assets']) {
      await goTo(page, page_);
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      assert.equal(overflow, 0, `${page_} scrolls sideways by ${String(overflow)} px at 390 px`);
    }
    // Map a group with keys only: the dropdown's next option is "New client…", Enter creates and maps.
    await goTo(page, 'Level');
    await mappedClient(page, XSS_NAME).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByLabel('New client name').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.value'), XSS_NAME);
    await page.keyboard.press('Enter');
    await card(page, 'Sync & Group Mappings').getByText(`inherits ${XSS_NAME} from ${XSS_NAME}`).waitFor();
    const groups = (await api.get('/api/v1/integrations/level/groups')).body.items;
    assert.ok(groups.find((g: any) => g.levelGroupId === 'x/ss+1').mappedClientId);
    // Focus is visible: a focused button draws an outline.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none');
  });
});
