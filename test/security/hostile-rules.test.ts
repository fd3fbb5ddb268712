// What one tenant's admin configures cannot freeze or exhaust the worker that every tenant shares:
// a catastrophic-backtracking rule pattern and a template that repeats a large description.
import assert from 'node:assert/strict';
import type { LevelSimulator } from '../../simulator';
import { MAX_DESCRIPTION_LENGTH, DESCRIPTION_TRUNCATION_NOTE } from '../../domain/ticket-templates';
import { BASE, alertRow, alertTenant, templateBody, waitFor, withAlertStack } from '../alerts/fixture';
import type { TestEnv } from '../support/test-env';

describe('Security: hostile rules and templates', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  it('routes an alert past a (a+)+$ rule while another tenant tests its connection', async () => {
    // With V8's regex engine, 50 a's and a "!" against (a+)+$ would block the worker's thread
    // for days (12 s at 29 a's, doubling per character): this alert would never be routed.
    const attacker = await alertTenant(env, simulator);
    const evil = await attacker.api.post('/api/v1/alert-rules', {
      name: 'Backtracking',
      conditions: { pattern: '(a+)+$' },
      actions: { createTicket: false },
    });
    assert.equal(evil.status, 201, JSON.stringify(evil.body));
    const rules = (await attacker.api.get('/api/v1/alert-rules')).body.items.map((rule: { id: string }) => rule.id);
    await attacker.api.post('/api/v1/alert-rules/reorder', {
      ids: [evil.body.id, ...rules.filter((id: string) => id !== evil.body.id)],
    });
    const victim = await alertTenant(env, simulator);

    const body = templateBody({ description: `${'a'.repeat(50)}!` });
    const started = Date.now();
    assert.equal((await attacker.post(body)).status, 202);
    const probe = await victim.api.post(`${BASE}/test-connection?wait=true`);
    const routed = await waitFor('the alert routed past the rule', async () => {
      const row = await alertRow(env, attacker.tenantId, body.alert_id as string);
      return row?.ticketId ? row : null;
    });
    console.log(
      `      (routed in ${Date.now() - started} ms; the other tenant's test-connection answered ${probe.body.status})`,
    );
    assert.equal(probe.body.status, 'completed');
    assert.equal(probe.body.result.ok, true);
    assert.notEqual(routed.matchedRuleId, evil.body.id, 'the pattern did not match: the catch-all opened the ticket');
  });

  it('bounds a ticket description whose template repeats a large alert description', async () => {
    const t = await alertTenant(env, simulator);
    const rule = await t.api.post('/api/v1/alert-rules', {
      name: 'Repeats',
      conditions: { severities: ['critical'] },
      actions: { createTicket: true, descriptionTemplate: '{{description}}'.repeat(666) },
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const rules = (await t.api.get('/api/v1/alert-rules')).body.items.map((r: { id: string }) => r.id);
    await t.api.post('/api/v1/alert-rules/reorder', {
      ids: [rule.body.id, ...rules.filter((id: string) => id !== rule.body.id)],
    });

    // 60 KiB × 666 would be 40 MB of ticket text per alert (and 166 MB with a 250 KB description).
    const body = templateBody({ description: 'x'.repeat(60 * 1024) });
    assert.equal((await t.post(body)).status, 202);
    const alert = await waitFor('the ticket', async () => {
      const row = await alertRow(env, t.tenantId, body.alert_id as string);
      return row?.ticketId ? row : null;
    });
    const ticket = await t.api.get(`/api/v1/tickets/${alert.ticketId}`);
    assert.equal(ticket.body.description.length, MAX_DESCRIPTION_LENGTH);
    assert.ok(ticket.body.description.endsWith(DESCRIPTION_TRUNCATION_NOTE));
  });
});
