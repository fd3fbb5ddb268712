// Noise control in the console against the real API, Temporal and a Level simulator: a rule's
// hold (holdMinutes) and reopen window (reopenWithinMinutes) saved from the form round-trip
// through the API and back into the form, read in words in the rule's summary, and a value out
// of range shows the API's message under its field; on the Alerts page a flap the hold dampened
// and an alert of an unmapped device say what their status means.
import assert from 'node:assert/strict';
import { alertTenant, LOOSE_DEVICE, templateBody, waitFor, withAlertStack } from '../alerts/fixture';
import type { LevelSimulator } from '../../simulator';
import type { TestEnv } from '../support/test-env';
import { pagePerTest } from './browser';
import { goTo, signIn } from './console-steps';

describe('console: noise control in Chromium', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  const openTestPage = pagePerTest();

  withAlertStack((started) => ({ env, simulator } = started));

  it("saves a rule's hold and reopen window, reads them in its summary and refuses a hold out of range; a flap it holds ends dampened", async () => {
    const t = await alertTenant(env, simulator);
    const { page } = await openTestPage(env.apiUrl);
    await signIn(page, t.token);
    await goTo(page, 'Alert rules');
    // The integration's catch-all rule (first, so it is the one that routes the alerts below).
    const [catchAll] = (await t.api.get('/api/v1/alert-rules')).body.items;
    assert.equal(catchAll.actions.holdMinutes, undefined);
    await page.getByRole('button', { name: `Edit ${catchAll.name}` }).waitFor();
    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: `Edit ${catchAll.name}` }) });
    assert.doesNotMatch((await item.textContent())!, /still active|recurs/, 'nothing said while both are 0');

    await page.getByRole('button', { name: `Edit ${catchAll.name}` }).click();
    const hold = page.getByLabel('Hold (minutes)');
    const reopen = page.getByLabel('Reopen within (minutes)');
    await hold.fill('61');
    await page.getByRole('button', { name: 'Save rule' }).click();
    const holdError = page.locator('.field', { has: hold }).locator('.field-error');
    await holdError.waitFor();
    const refused = await t.api.put(`/api/v1/alert-rules/${catchAll.id}`, {
      name: catchAll.name,
      actions: { ...catchAll.actions, holdMinutes: 61 },
    });
    assert.equal(
      await holdError.textContent(),
      refused.body.error.details.fields.find((f: { field: string }) => f.field === 'actions.holdMinutes').message,
    );
    await page.getByText('Not saved: check hold minutes.').waitFor();
    assert.equal((await t.api.get(`/api/v1/alert-rules/${catchAll.id}`)).body.actions.holdMinutes, undefined);

    await hold.fill('5');
    await reopen.fill('120');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await item
      .getByText(
        /create a ticket( \(\w+\))?, only if still active after 5 minutes, reopen the closed ticket if it recurs within 2 hours$/,
      )
      .waitFor();
    const saved = (await t.api.get(`/api/v1/alert-rules/${catchAll.id}`)).body;
    assert.deepEqual([saved.actions.holdMinutes, saved.actions.reopenWithinMinutes], [5, 120]);
    // Back into the form as saved.
    await page.getByRole('button', { name: `Edit ${catchAll.name}` }).click();
    assert.deepEqual([await hold.inputValue(), await reopen.inputValue()], ['5', '120']);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A flap: held by the rule, resolved within the hold → dampened. And an unmapped device's alert.
    const flap = templateBody({ name: 'Ping loss (flap)', occurred_at: new Date(Date.now() - 2_000).toISOString() });
    assert.equal((await t.post(flap)).status, 202);
    const alertOf = async (levelAlertId: unknown) =>
      ((await t.api.get('/api/v1/alerts')).body.items as any[]).find((a) => a.levelAlertId === levelAlertId);
    await waitFor('the flap held', async () => (await alertOf(flap.alert_id))?.matchedRuleId === catchAll.id);
    assert.equal(
      (await t.post({ ...flap, event: 'alert.resolved', occurred_at: new Date().toISOString() })).status,
      202,
    );
    await waitFor('the flap dampened', async () => (await alertOf(flap.alert_id))?.status === 'dampened');
    const loose = templateBody({
      name: 'Loose device offline',
      device_id: LOOSE_DEVICE,
      hostname: 'LOOSE-1',
      group_id: 'un+mapped',
    });
    assert.equal((await t.post(loose)).status, 202);
    await waitFor('the unmapped alert', async () => (await alertOf(loose.alert_id))?.status === 'unmapped');

    await goTo(page, 'Alerts');
    const flapStatus = page.getByRole('row', { name: /Ping loss \(flap\)/ }).locator('td[data-label="Status"]');
    await flapStatus.waitFor();
    assert.equal(await flapStatus.locator('.badge').textContent(), 'dampened');
    assert.equal(
      await flapStatus.locator('.status-help').textContent(),
      "Resolved within its rule's hold — no ticket.",
    );
    const looseStatus = page.getByRole('row', { name: /Loose device offline/ }).locator('td[data-label="Status"]');
    assert.equal(await looseStatus.locator('.badge').textContent(), 'unmapped');
    assert.match((await looseStatus.locator('.status-help').textContent())!, /no mapped Level group/);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      0,
      'no sideways scrolling on a phone',
    );
    await page.getByLabel('Status').selectOption('dampened');
    await page.getByRole('row', { name: /Loose device offline/ }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);
  });
});
