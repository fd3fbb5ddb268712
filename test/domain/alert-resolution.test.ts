// The resolve decision and its words, alone (the activities carry them out: test/alerts).
import assert from 'node:assert/strict';
import {
  decideResolve,
  levelRefusalReason,
  levelRefusedNote,
  resolvedInLevelNote,
} from '../../domain/alert-resolution';

describe('alert resolution decision', () => {
  const resolvedAt = new Date('2026-12-05T10:00:00Z');

  it('closes the ticket when the rule says so and no other alert on it is active (unless a person worked on it)', () => {
    assert.deepEqual(
      decideResolve({ alertName: 'Disk full', resolvedAt, autoResolveTicket: true, otherActiveAlerts: 0 }),
      {
        action: 'closeIfUntouched',
        closedNote:
          'The alert "Disk full" resolved in Level at 2026-12-05T10:00:00.000Z; the ticket was closed automatically.',
        keptOpenNote:
          'The alert "Disk full" resolved in Level at 2026-12-05T10:00:00.000Z. The ticket stays open because a person has worked on it.',
      },
    );
  });

  it('only notes it while other alerts on the ticket are active, or when the rule does not close tickets', () => {
    assert.deepEqual(
      decideResolve({ alertName: 'Disk full', resolvedAt, autoResolveTicket: true, otherActiveAlerts: 2 }),
      {
        action: 'note',
        note: 'The alert "Disk full" resolved in Level at 2026-12-05T10:00:00.000Z. 2 other alert(s) on this ticket are still active.',
      },
    );
    assert.deepEqual(
      decideResolve({ alertName: 'Disk full', resolvedAt, autoResolveTicket: false, otherActiveAlerts: 0 }),
      {
        action: 'note',
        note: 'The alert "Disk full" resolved in Level at 2026-12-05T10:00:00.000Z.',
      },
    );
  });

  it('says why Level would not resolve an alert in words a person can act on', () => {
    assert.match(levelRefusalReason({ status: 403, message: 'Forbidden' }), /read-only; give it write access/);
    assert.match(levelRefusalReason({ status: 404, message: 'Not found' }), /does not know this alert any more/);
    assert.equal(levelRefusalReason({ status: 422, message: 'Level said no' }), 'Level said no');
    assert.equal(
      levelRefusedNote('Disk full', 'Level said no'),
      'Could not resolve the alert "Disk full" in Level: Level said no',
    );
    assert.equal(
      resolvedInLevelNote('Disk full'),
      'The alert "Disk full" was resolved in Level because the ticket was closed.',
    );
  });
});
