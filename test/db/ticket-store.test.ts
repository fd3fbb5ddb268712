// Ticket operations and default rules against the real database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AlertRuleSchema, TicketNoteSchema, TicketSchema } from '../../db/entities';
import { ensureDefaultRules } from '../../db/default-rules';
import {
  addNote,
  allocateTicketNumber,
  closeTicket,
  conditionKeyFor,
  findOpenTicket,
  findTicket,
  listNotes,
  openOrAppendTicket,
  type OpenTicketInput,
} from '../../db/ticket-store';
import { defaultCatchAllRule } from '../../domain/alert-rules';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('ticket store', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let tenantId: string;

  before(async () => {
    env = await getTestEnv();
  });

  beforeEach(async () => {
    tenantId = (await env.createTenant()).tenantId;
  });

  const input = (overrides: Partial<OpenTicketInput> = {}): OpenTicketInput => ({
    tenantId,
    levelDeviceId: 'dev-1',
    conditionKey: conditionKeyFor('dev-1', 'Disk space low'),
    alertId: randomUUID(),
    title: '[warning] Disk space low on web-01',
    description: 'Disk C: is 91% full',
    priority: 'medium',
    ...overrides,
  });

  it('normalises the condition key', () => {
    assert.equal(conditionKeyFor('dev-1', '  Disk   SPACE low '), 'dev-1:disk space low');
  });

  it('opens a ticket with the next number, then appends occurrences to it', async () => {
    const first = await openOrAppendTicket(env.em(), input());
    assert.equal(first.created, true);
    assert.equal(first.ticket.number, 1);
    assert.equal(first.ticket.status, 'open');
    assert.equal(first.ticket.occurrences, 1);
    assert.equal(first.ticket.alertIds.length, 1);

    const repeatAlert = randomUUID();
    const second = await openOrAppendTicket(env.em(), input({ alertId: repeatAlert }));
    assert.equal(second.created, false);
    assert.equal(second.ticket.id, first.ticket.id);
    assert.equal(second.ticket.occurrences, 2);
    assert.deepEqual(second.ticket.alertIds, [first.ticket.alertIds[0], repeatAlert]);

    // The same alert again counts an occurrence but is listed once.
    const third = await openOrAppendTicket(env.em(), input({ alertId: repeatAlert }));
    assert.equal(third.ticket.occurrences, 3);
    assert.equal(third.ticket.alertIds.length, 2);

    const notes = await listNotes(env.em(), first.ticket.id);
    assert.equal(notes.length, 2);
    assert.ok(notes.every((note) => note.author === 'system'));
    assert.match(notes[0]!.body, /occurrence 2/);

    // A different condition on the same device is a different ticket.
    const other = await openOrAppendTicket(env.em(), input({ conditionKey: conditionKeyFor('dev-1', 'CPU high') }));
    assert.equal(other.created, true);
    assert.equal(other.ticket.number, 2);
  });

  it('opens a new ticket once the previous one is closed', async () => {
    const first = await openOrAppendTicket(env.em(), input());
    const closed = await closeTicket(env.em(), first.ticket.id, 'The alert resolved in Level.');
    assert.equal(closed.closed, true);
    assert.equal(closed.ticket.status, 'closed');
    assert.ok(closed.ticket.closedAt instanceof Date);
    assert.deepEqual(
      (await listNotes(env.em(), first.ticket.id)).map((n) => [n.author, n.body]),
      [['system', 'The alert resolved in Level.']],
    );

    const again = await closeTicket(env.em(), first.ticket.id, 'ignored');
    assert.equal(again.closed, false);
    assert.equal((await listNotes(env.em(), first.ticket.id)).length, 1);

    const next = await openOrAppendTicket(env.em(), input());
    assert.equal(next.created, true);
    assert.notEqual(next.ticket.id, first.ticket.id);
    assert.equal(next.ticket.number, 2);
    assert.equal((await findOpenTicket(env.em(), tenantId, 'dev-1', input().conditionKey))?.id, next.ticket.id);
  });

  it('makes two concurrent firings one ticket with two occurrences', async () => {
    const [a, b] = await Promise.all([openOrAppendTicket(env.em(), input()), openOrAppendTicket(env.em(), input())]);
    assert.equal(a.ticket.id, b.ticket.id);
    assert.deepEqual([a.created, b.created].sort(), [false, true]);
    const tickets = await env.em().find(TicketSchema, { tenantId });
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.occurrences, 2);
    assert.equal(tickets[0]!.alertIds.length, 2);
    // The losing insert gave its number back.
    assert.equal(tickets[0]!.number, 1);
    assert.equal(await allocateTicketNumber(env.em(), tenantId), 2);
  });

  it('keeps one ticket under a burst of concurrent firings', async () => {
    const key = conditionKeyFor('dev-2', 'Offline');
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        openOrAppendTicket(env.em(), input({ levelDeviceId: 'dev-2', conditionKey: key })),
      ),
    );
    assert.equal(new Set(results.map((r) => r.ticket.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    const ticket = await env.em().findOneOrFail(TicketSchema, { tenantId, conditionKey: key });
    assert.equal(ticket.occurrences, 6);
    assert.equal(await env.em().count(TicketNoteSchema, { ticketId: ticket.id }), 5);
  });

  it('records human notes as a person touching the ticket, and can skip closing touched tickets', async () => {
    const { ticket } = await openOrAppendTicket(env.em(), input());
    await addNote(env.em(), ticket.id, 'system', 'Checked by automation');
    assert.equal((await findTicket(env.em(), tenantId, ticket.id))!.touchedByHuman, false);

    const note = await addNote(env.em(), ticket.id, 'human', 'Looking into it');
    assert.equal(note.author, 'human');
    assert.equal((await findTicket(env.em(), tenantId, ticket.id))!.touchedByHuman, true);

    const skipped = await closeTicket(env.em(), ticket.id, 'Resolved', { onlyIfUntouched: true });
    assert.equal(skipped.closed, false);
    assert.equal(skipped.ticket.status, 'open');
    assert.equal(await env.em().count(TicketNoteSchema, { ticketId: ticket.id }), 2);
  });

  it('finds tickets only within their tenant', async () => {
    const { ticket } = await openOrAppendTicket(env.em(), input());
    const other = await env.createTenant();
    assert.equal(await findTicket(env.em(), other.tenantId, ticket.id), null);
    assert.equal(await findTicket(env.em(), tenantId, 'not-a-uuid'), null);
    assert.equal((await findTicket(env.em(), tenantId, ticket.id))?.id, ticket.id);
    // Numbers are per tenant.
    const theirs = await openOrAppendTicket(env.em(), input({ tenantId: other.tenantId }));
    assert.equal(theirs.ticket.number, 1);
  });

  it('adds the default catch-all rule only when the tenant has none', async () => {
    const results = await Promise.all([ensureDefaultRules(env.em(), tenantId), ensureDefaultRules(env.em(), tenantId)]);
    assert.equal(results.filter((rule) => rule !== null).length, 1);
    const rules = await env.em().find(AlertRuleSchema, { tenantId });
    assert.equal(rules.length, 1);
    assert.equal(rules[0]!.position, 0);
    assert.equal(rules[0]!.name, defaultCatchAllRule.name);
    assert.deepEqual(rules[0]!.conditions, {});
    assert.equal(rules[0]!.actions.createTicket, true);
    assert.equal(await ensureDefaultRules(env.em(), tenantId), null);
  });
});
