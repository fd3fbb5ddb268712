import assert from 'node:assert/strict';
import {
  activeOccurrence,
  findSuppressingWindow,
  validateWindow,
  weeklyOccurrenceOn,
  windowAppliesTo,
  type MaintenanceWindowSpec,
  type WeeklyRecurrence,
  type WindowTarget,
} from '../../domain/maintenance-windows';

const HOUR = 3_600_000;
const SUNDAY = 0;
const SATURDAY = 6;
const WEEKDAYS = [1, 2, 3, 4, 5];

const at = (iso: string): Date => new Date(iso);

function oneOff(
  id: string,
  startsAt: string,
  endsAt: string,
  extra: Partial<MaintenanceWindowSpec> = {},
): MaintenanceWindowSpec {
  return { id, enabled: true, scope: {}, startsAt: at(startsAt), endsAt: at(endsAt), recurrence: null, ...extra };
}

function weekly(
  id: string,
  recurrence: WeeklyRecurrence,
  extra: Partial<MaintenanceWindowSpec> = {},
): MaintenanceWindowSpec {
  return { id, enabled: true, scope: {}, startsAt: null, endsAt: null, recurrence, ...extra };
}

function occurrenceIso(window: MaintenanceWindowSpec, iso: string): [string, string] | null {
  const occurrence = activeOccurrence(window, at(iso));
  return occurrence && [occurrence.start.toISOString(), occurrence.end.toISOString()];
}

function isActive(window: MaintenanceWindowSpec, iso: string): boolean {
  return activeOccurrence(window, at(iso)) !== null;
}

function lengthInHours(recurrence: WeeklyRecurrence, year: number, month: number, day: number): number {
  const occurrence = weeklyOccurrenceOn(recurrence, { year, month, day });
  assert.ok(occurrence);
  return (occurrence.end.getTime() - occurrence.start.getTime()) / HOUR;
}

const fields = (issues: { field: string }[]): string[] => issues.map((issue) => issue.field);

describe('domain/maintenance-windows', () => {
  describe('validateWindow', () => {
    const recurrence: WeeklyRecurrence = {
      days: [1, 3],
      startTime: '22:00',
      endTime: '02:00',
      timezone: 'Europe/London',
    };

    it('accepts a valid one-off window', () => {
      assert.deepEqual(
        validateWindow({ scope: {}, startsAt: at('2025-01-01T00:00:00Z'), endsAt: at('2025-01-01T01:00:00Z') }),
        [],
      );
    });

    it('accepts a valid weekly window, including one crossing midnight', () => {
      assert.deepEqual(validateWindow({ scope: { clientId: 'c1' }, recurrence }), []);
      assert.deepEqual(
        validateWindow({
          scope: { assetId: 'a1' },
          recurrence: { ...recurrence, startTime: '00:00', endTime: '23:59' },
        }),
        [],
      );
    });

    it('requires a schedule', () => {
      const issues = validateWindow({ scope: {} });
      assert.deepEqual(fields(issues), ['startsAt']);
      assert.match(issues[0]?.message ?? '', /either startsAt and endsAt, or a weekly recurrence/);
    });

    it('rejects both a one-off range and a recurrence', () => {
      const issues = validateWindow({
        startsAt: at('2025-01-01T00:00:00Z'),
        endsAt: at('2025-01-02T00:00:00Z'),
        recurrence,
      });
      assert.deepEqual(fields(issues), ['recurrence']);
      assert.match(issues[0]?.message ?? '', /not both/);
    });

    it('requires both ends of a one-off window', () => {
      assert.deepEqual(fields(validateWindow({ startsAt: at('2025-01-01T00:00:00Z') })), ['endsAt']);
      assert.deepEqual(fields(validateWindow({ endsAt: at('2025-01-01T00:00:00Z'), startsAt: null })), ['startsAt']);
    });

    it('requires endsAt after startsAt', () => {
      const same = validateWindow({ startsAt: at('2025-01-01T00:00:00Z'), endsAt: at('2025-01-01T00:00:00Z') });
      assert.deepEqual(same, [{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
      assert.deepEqual(
        fields(validateWindow({ startsAt: at('2025-01-02T00:00:00Z'), endsAt: at('2025-01-01T00:00:00Z') })),
        ['endsAt'],
      );
    });

    it('rejects invalid dates', () => {
      assert.deepEqual(fields(validateWindow({ startsAt: new Date('nope'), endsAt: at('2025-01-01T00:00:00Z') })), [
        'startsAt',
      ]);
    });

    it('validates days: non-empty, whole numbers 0-6, no repeats', () => {
      assert.deepEqual(fields(validateWindow({ recurrence: { ...recurrence, days: [] } })), ['recurrence.days']);
      assert.deepEqual(fields(validateWindow({ recurrence: { ...recurrence, days: [7] } })), ['recurrence.days']);
      assert.deepEqual(fields(validateWindow({ recurrence: { ...recurrence, days: [-1] } })), ['recurrence.days']);
      assert.deepEqual(fields(validateWindow({ recurrence: { ...recurrence, days: [1.5] } })), ['recurrence.days']);
      const repeated = validateWindow({ recurrence: { ...recurrence, days: [1, 1] } });
      assert.deepEqual(repeated, [{ field: 'recurrence.days', message: 'Each day may be listed only once' }]);
      assert.deepEqual(validateWindow({ recurrence: { ...recurrence, days: [0, 1, 2, 3, 4, 5, 6] } }), []);
    });

    it('validates HH:mm times', () => {
      const issues = validateWindow({ recurrence: { ...recurrence, startTime: '24:00', endTime: '9:00' } });
      assert.deepEqual(fields(issues), ['recurrence.startTime', 'recurrence.endTime']);
      assert.match(issues[0]?.message ?? '', /HH:mm/);
    });

    it('requires different start and end times', () => {
      assert.deepEqual(validateWindow({ recurrence: { ...recurrence, startTime: '10:00', endTime: '10:00' } }), [
        { field: 'recurrence.endTime', message: 'endTime must differ from startTime' },
      ]);
    });

    it('requires a known IANA time zone', () => {
      const issues = validateWindow({ recurrence: { ...recurrence, timezone: 'Mars/Olympus' } });
      assert.deepEqual(fields(issues), ['recurrence.timezone']);
      assert.match(issues[0]?.message ?? '', /Mars\/Olympus/);
      assert.deepEqual(fields(validateWindow({ recurrence: { ...recurrence, timezone: '' } })), [
        'recurrence.timezone',
      ]);
    });

    it('rejects a scope with both a client and an asset, and reports every problem at once', () => {
      const issues = validateWindow({
        scope: { clientId: 'c', assetId: 'a' },
        recurrence: { ...recurrence, days: [], timezone: 'x' },
      });
      assert.deepEqual(fields(issues), ['scope', 'recurrence.days', 'recurrence.timezone']);
    });

    it('treats empty or null scope ids as unset', () => {
      assert.deepEqual(validateWindow({ scope: { clientId: '', assetId: 'a' }, recurrence }), []);
      assert.deepEqual(validateWindow({ scope: { clientId: null, assetId: null }, recurrence }), []);
      assert.deepEqual(validateWindow({ scope: null, recurrence }), []);
    });
  });

  describe('activeOccurrence: one-off', () => {
    const window = oneOff('w', '2025-05-01T10:00:00Z', '2025-05-01T12:00:00Z');

    it('is active from the start (inclusive) until the end (exclusive)', () => {
      assert.equal(isActive(window, '2025-05-01T09:59:59.999Z'), false);
      assert.deepEqual(occurrenceIso(window, '2025-05-01T10:00:00Z'), [
        '2025-05-01T10:00:00.000Z',
        '2025-05-01T12:00:00.000Z',
      ]);
      assert.equal(isActive(window, '2025-05-01T11:59:59.999Z'), true);
      assert.equal(isActive(window, '2025-05-01T12:00:00Z'), false);
    });

    it('is never active when disabled', () => {
      assert.equal(isActive({ ...window, enabled: false }, '2025-05-01T11:00:00Z'), false);
    });

    it('is never active without a schedule', () => {
      assert.equal(isActive({ id: 'empty', enabled: true, scope: {} }, '2025-05-01T11:00:00Z'), false);
    });
  });

  describe('activeOccurrence: weekly', () => {
    const weekdaysUtc = weekly('w', { days: WEEKDAYS, startTime: '09:00', endTime: '17:00', timezone: 'UTC' });

    it('is active inside an occurrence on a listed day', () => {
      // 2025-06-04 is a Wednesday.
      assert.deepEqual(occurrenceIso(weekdaysUtc, '2025-06-04T12:00:00Z'), [
        '2025-06-04T09:00:00.000Z',
        '2025-06-04T17:00:00.000Z',
      ]);
      assert.equal(isActive(weekdaysUtc, '2025-06-04T09:00:00Z'), true, 'start inclusive');
      assert.equal(isActive(weekdaysUtc, '2025-06-04T17:00:00Z'), false, 'end exclusive');
      assert.equal(isActive(weekdaysUtc, '2025-06-04T08:59:00Z'), false);
    });

    it('is inactive on days not listed', () => {
      assert.equal(isActive(weekdaysUtc, '2025-06-07T12:00:00Z'), false, 'Saturday');
      assert.equal(isActive(weekdaysUtc, '2025-06-08T12:00:00Z'), false, 'Sunday');
    });

    it('crosses midnight: Saturday 22:00-02:00 is active early Sunday, until 02:00', () => {
      const window = weekly('w', { days: [SATURDAY], startTime: '22:00', endTime: '02:00', timezone: 'UTC' });
      assert.equal(isActive(window, '2025-06-07T21:59:00Z'), false);
      assert.equal(isActive(window, '2025-06-07T23:00:00Z'), true);
      assert.deepEqual(occurrenceIso(window, '2025-06-08T01:00:00Z'), [
        '2025-06-07T22:00:00.000Z',
        '2025-06-08T02:00:00.000Z',
      ]);
      assert.equal(isActive(window, '2025-06-08T02:00:00Z'), false);
      assert.equal(isActive(window, '2025-06-08T23:00:00Z'), false, 'Sunday is not a start day');
      assert.equal(isActive(window, '2025-06-07T01:00:00Z'), false, 'Saturday early morning belongs to a Friday start');
    });

    it('uses the local day of the zone, not the UTC day', () => {
      // Monday 00:00-01:00 in Kolkata is Sunday 18:30-19:30 UTC.
      const window = weekly('w', { days: [1], startTime: '00:00', endTime: '01:00', timezone: 'Asia/Kolkata' });
      assert.deepEqual(occurrenceIso(window, '2025-06-08T19:00:00Z'), [
        '2025-06-08T18:30:00.000Z',
        '2025-06-08T19:30:00.000Z',
      ]);
      assert.equal(isActive(window, '2025-06-09T00:30:00Z'), false, 'Monday 00:30 UTC is 06:00 in Kolkata');
    });

    it('keeps wall-clock times across the seasons', () => {
      const window = weekly('w', {
        days: WEEKDAYS,
        startTime: '09:00',
        endTime: '17:00',
        timezone: 'America/New_York',
      });
      assert.deepEqual(occurrenceIso(window, '2025-01-15T15:00:00Z'), [
        '2025-01-15T14:00:00.000Z',
        '2025-01-15T22:00:00.000Z',
      ]);
      assert.deepEqual(occurrenceIso(window, '2025-07-16T15:00:00Z'), [
        '2025-07-16T13:00:00.000Z',
        '2025-07-16T21:00:00.000Z',
      ]);
    });

    it('is never active when disabled', () => {
      assert.equal(isActive({ ...weekdaysUtc, enabled: false }, '2025-06-04T12:00:00Z'), false);
    });

    it('is never active with an unusable stored recurrence', () => {
      assert.equal(
        isActive(
          weekly('w', { days: WEEKDAYS, startTime: '9am', endTime: '17:00', timezone: 'UTC' }),
          '2025-06-04T12:00:00Z',
        ),
        false,
      );
      assert.equal(
        isActive(
          weekly('w', { days: WEEKDAYS, startTime: '09:00', endTime: '17:00', timezone: 'Nope/Nope' }),
          '2025-06-04T12:00:00Z',
        ),
        false,
      );
    });
  });

  describe('activeOccurrence: daylight saving time', () => {
    const sundayEarly = (timezone: string): WeeklyRecurrence => ({
      days: [SUNDAY],
      startTime: '01:30',
      endTime: '03:30',
      timezone,
    });

    it('America/New_York spring forward: 01:30-03:30 lasts one real hour', () => {
      const recurrence = sundayEarly('America/New_York');
      assert.equal(lengthInHours(recurrence, 2025, 3, 9), 1);
      assert.equal(lengthInHours(recurrence, 2025, 3, 2), 2, 'a normal Sunday');
      const window = weekly('w', recurrence);
      assert.deepEqual(occurrenceIso(window, '2025-03-09T07:15:00Z'), [
        '2025-03-09T06:30:00.000Z',
        '2025-03-09T07:30:00.000Z',
      ]);
      assert.equal(isActive(window, '2025-03-09T07:30:00Z'), false);
    });

    it('America/New_York fall back: 01:30-03:30 lasts three real hours, starting at the first 01:30', () => {
      const recurrence = sundayEarly('America/New_York');
      assert.equal(lengthInHours(recurrence, 2025, 11, 2), 3);
      const window = weekly('w', recurrence);
      assert.equal(isActive(window, '2025-11-02T05:29:00Z'), false);
      assert.equal(isActive(window, '2025-11-02T05:30:00Z'), true, 'first 01:30 (EDT)');
      assert.equal(isActive(window, '2025-11-02T06:15:00Z'), true, 'second 01:15 (EST)');
      assert.equal(isActive(window, '2025-11-02T08:29:00Z'), true);
      assert.equal(isActive(window, '2025-11-02T08:30:00Z'), false);
    });

    it('Europe/London: a start inside the spring gap moves to the end of the gap', () => {
      const recurrence = sundayEarly('Europe/London');
      assert.equal(lengthInHours(recurrence, 2025, 3, 30), 1.5);
      assert.equal(lengthInHours(recurrence, 2025, 10, 26), 3);
      const window = weekly('w', recurrence);
      assert.equal(isActive(window, '2025-03-30T00:59:00Z'), false);
      assert.equal(isActive(window, '2025-03-30T01:00:00Z'), true, '02:00 BST, first instant after the gap');
      assert.equal(isActive(window, '2025-10-26T00:30:00Z'), true, 'first 01:30 (BST)');
    });

    it('America/New_York: a window that starts inside the gap begins when clocks jump', () => {
      const window = weekly('w', {
        days: [SUNDAY],
        startTime: '02:30',
        endTime: '04:00',
        timezone: 'America/New_York',
      });
      assert.equal(isActive(window, '2025-03-09T06:59:00Z'), false);
      assert.deepEqual(occurrenceIso(window, '2025-03-09T07:00:00Z'), [
        '2025-03-09T07:00:00.000Z',
        '2025-03-09T08:00:00.000Z',
      ]);
    });

    it('crossing midnight into a DST change keeps the local end time', () => {
      const recurrence: WeeklyRecurrence = {
        days: [SATURDAY],
        startTime: '22:00',
        endTime: '02:00',
        timezone: 'America/New_York',
      };
      assert.equal(lengthInHours(recurrence, 2025, 3, 8), 4, '22:00 EST to 03:00 EDT (02:00 does not exist)');
      assert.equal(
        lengthInHours({ ...recurrence, endTime: '01:30' }, 2025, 11, 1),
        3.5,
        '22:00 EDT to the first 01:30',
      );
      assert.equal(isActive(weekly('w', recurrence), '2025-03-09T06:30:00Z'), true, 'Sunday 01:30 EST');
    });

    it('Australia/Lord_Howe: half-hour DST shift', () => {
      const recurrence: WeeklyRecurrence = {
        days: [SUNDAY],
        startTime: '01:00',
        endTime: '03:00',
        timezone: 'Australia/Lord_Howe',
      };
      assert.equal(lengthInHours(recurrence, 2025, 10, 5), 1.5);
      assert.equal(lengthInHours(recurrence, 2025, 4, 6), 2.5);
    });

    it('Asia/Kolkata: fixed +05:30 offset', () => {
      const window = weekly('w', { days: WEEKDAYS, startTime: '09:00', endTime: '17:00', timezone: 'Asia/Kolkata' });
      assert.deepEqual(occurrenceIso(window, '2025-06-04T04:00:00Z'), [
        '2025-06-04T03:30:00.000Z',
        '2025-06-04T11:30:00.000Z',
      ]);
      assert.equal(isActive(window, '2025-06-04T11:30:00Z'), false);
    });
  });

  describe('windowAppliesTo', () => {
    const target: WindowTarget = { clientId: 'c1', assetId: 'a1' };

    it('applies to everything without a scope', () => {
      assert.equal(windowAppliesTo({ scope: {} }, target), true);
      assert.equal(
        windowAppliesTo({ scope: { clientId: null, assetId: null } }, { clientId: null, assetId: null }),
        true,
      );
    });

    it('applies to the alerts of its client only', () => {
      assert.equal(windowAppliesTo({ scope: { clientId: 'c1' } }, target), true);
      assert.equal(windowAppliesTo({ scope: { clientId: 'c2' } }, target), false);
      assert.equal(windowAppliesTo({ scope: { clientId: 'c1' } }, { clientId: null, assetId: null }), false);
    });

    it('applies to its asset only', () => {
      assert.equal(windowAppliesTo({ scope: { assetId: 'a1' } }, target), true);
      assert.equal(windowAppliesTo({ scope: { assetId: 'a2' } }, target), false);
      assert.equal(windowAppliesTo({ scope: { assetId: 'a1' } }, { clientId: 'c1', assetId: null }), false);
    });

    it('requires both to match when (invalidly) both are set', () => {
      assert.equal(windowAppliesTo({ scope: { clientId: 'c1', assetId: 'a1' } }, target), true);
      assert.equal(windowAppliesTo({ scope: { clientId: 'c2', assetId: 'a1' } }, target), false);
    });

    it('treats empty-string scope ids as unset', () => {
      assert.equal(windowAppliesTo({ scope: { clientId: '', assetId: '' } }, target), true);
    });
  });

  describe('findSuppressingWindow', () => {
    const target: WindowTarget = { clientId: 'c1', assetId: 'a1' };
    const now = '2025-06-04T12:00:00Z';

    it('returns null when no window is active', () => {
      assert.equal(findSuppressingWindow([], target, at(now)), null);
      assert.equal(
        findSuppressingWindow([oneOff('past', '2025-06-01T00:00:00Z', '2025-06-02T00:00:00Z')], target, at(now)),
        null,
      );
    });

    it('returns the active window with the end of its occurrence', () => {
      const window = weekly('w', { days: [3], startTime: '11:00', endTime: '13:00', timezone: 'UTC' });
      const found = findSuppressingWindow([window], target, at(now));
      assert.equal(found?.window, window);
      assert.equal(found?.endsAt.toISOString(), '2025-06-04T13:00:00.000Z');
    });

    it('picks the overlapping window that ends last', () => {
      const windows = [
        oneOff('short', '2025-06-04T11:00:00Z', '2025-06-04T12:30:00Z'),
        oneOff('long', '2025-06-04T10:00:00Z', '2025-06-04T18:00:00Z', { scope: { clientId: 'c1' } }),
        weekly(
          'weekly',
          { days: [3], startTime: '08:00', endTime: '14:00', timezone: 'UTC' },
          { scope: { assetId: 'a1' } },
        ),
      ];
      const found = findSuppressingWindow(windows, target, at(now));
      assert.equal(found?.window.id, 'long');
      assert.equal(found?.endsAt.toISOString(), '2025-06-04T18:00:00.000Z');
    });

    it('ignores windows scoped elsewhere, even if they end later', () => {
      const windows = [
        oneOff('mine', '2025-06-04T11:00:00Z', '2025-06-04T13:00:00Z', { scope: { clientId: 'c1' } }),
        oneOff('other-client', '2025-06-04T11:00:00Z', '2025-06-05T00:00:00Z', { scope: { clientId: 'c2' } }),
        oneOff('other-asset', '2025-06-04T11:00:00Z', '2025-06-05T00:00:00Z', { scope: { assetId: 'a2' } }),
      ];
      assert.equal(findSuppressingWindow(windows, target, at(now))?.window.id, 'mine');
      assert.equal(findSuppressingWindow(windows, { clientId: 'c3', assetId: null }, at(now)), null);
    });

    it('ignores disabled windows', () => {
      const windows = [
        oneOff('off', '2025-06-04T11:00:00Z', '2025-06-05T00:00:00Z', { enabled: false }),
        oneOff('on', '2025-06-04T11:00:00Z', '2025-06-04T13:00:00Z'),
      ];
      assert.equal(findSuppressingWindow(windows, target, at(now))?.window.id, 'on');
      assert.equal(findSuppressingWindow([windows[0]!], target, at(now)), null);
    });

    it('breaks a tie on the end by smallest id, whatever the input order', () => {
      const windows = [
        oneOff('b', '2025-06-04T11:00:00Z', '2025-06-04T13:00:00Z'),
        oneOff('a', '2025-06-04T10:00:00Z', '2025-06-04T13:00:00Z'),
      ];
      assert.equal(findSuppressingWindow(windows, target, at(now))?.window.id, 'a');
      assert.equal(findSuppressingWindow([...windows].reverse(), target, at(now))?.window.id, 'a');
    });

    it('stops suppressing at the returned end', () => {
      const windows = [oneOff('w', '2025-06-04T11:00:00Z', '2025-06-04T13:00:00Z')];
      const found = findSuppressingWindow(windows, target, at(now));
      assert.ok(found);
      assert.equal(findSuppressingWindow(windows, target, found.endsAt), null);
    });
  });
});
