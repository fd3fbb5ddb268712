import assert from 'node:assert/strict';
import {
  addDays,
  dayOfWeek,
  isValidTimeZone,
  localDateAt,
  parseWallClock,
  zonedTimeToInstant,
  zoneOffsetMs,
} from '../../domain/zoned-time';

const HOUR = 3_600_000;

function instant(zone: string, date: string, time: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = parseWallClock(time);
  assert.ok(wall);
  return zonedTimeToInstant({ year, month, day }, wall, zone).toISOString();
}

describe('domain/zoned-time', () => {
  describe('parseWallClock', () => {
    it('parses strict 24-hour HH:mm', () => {
      assert.deepEqual(parseWallClock('00:00'), { hour: 0, minute: 0 });
      assert.deepEqual(parseWallClock('09:05'), { hour: 9, minute: 5 });
      assert.deepEqual(parseWallClock('23:59'), { hour: 23, minute: 59 });
    });

    it('rejects anything else', () => {
      for (const text of ['24:00', '7:00', '07:60', '07:00:00', ' 07:00', '07:00 ', '0700', 'ab:cd', '', '-1:00']) {
        assert.equal(parseWallClock(text), null, text);
      }
    });
  });

  describe('isValidTimeZone', () => {
    it('accepts IANA names and UTC', () => {
      for (const zone of [
        'UTC',
        'Europe/London',
        'America/New_York',
        'Asia/Kolkata',
        'Australia/Lord_Howe',
        'Etc/GMT+5',
      ]) {
        assert.equal(isValidTimeZone(zone), true, zone);
      }
    });

    it('rejects unknown names, offsets and blanks', () => {
      for (const zone of ['', '  ', 'Mars/Olympus', 'Europe/Londn', '+05:30', 'EST5EDT6']) {
        assert.equal(isValidTimeZone(zone), false, zone);
      }
    });
  });

  describe('zoneOffsetMs', () => {
    it('reports standard and daylight offsets', () => {
      assert.equal(zoneOffsetMs(Date.parse('2025-01-15T12:00:00Z'), 'America/New_York'), -5 * HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-07-15T12:00:00Z'), 'America/New_York'), -4 * HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-07-15T12:00:00Z'), 'Europe/London'), HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-07-15T12:00:00Z'), 'Asia/Kolkata'), 5.5 * HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-07-15T12:00:00Z'), 'Australia/Lord_Howe'), 10.5 * HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-01-15T12:00:00Z'), 'Australia/Lord_Howe'), 11 * HOUR);
    });

    it('switches exactly at the transition instant', () => {
      assert.equal(zoneOffsetMs(Date.parse('2025-03-09T06:59:59.999Z'), 'America/New_York'), -5 * HOUR);
      assert.equal(zoneOffsetMs(Date.parse('2025-03-09T07:00:00Z'), 'America/New_York'), -4 * HOUR);
    });
  });

  describe('calendar helpers', () => {
    it('finds the local date of an instant', () => {
      assert.deepEqual(localDateAt(Date.parse('2025-06-08T20:00:00Z'), 'Asia/Kolkata'), {
        year: 2025,
        month: 6,
        day: 9,
      });
      assert.deepEqual(localDateAt(Date.parse('2025-06-08T02:00:00Z'), 'America/New_York'), {
        year: 2025,
        month: 6,
        day: 7,
      });
      assert.deepEqual(localDateAt(Date.parse('2025-06-08T02:00:00Z'), 'UTC'), { year: 2025, month: 6, day: 8 });
    });

    it('computes days of week with 0 = Sunday', () => {
      assert.equal(dayOfWeek({ year: 2025, month: 6, day: 8 }), 0);
      assert.equal(dayOfWeek({ year: 2025, month: 6, day: 7 }), 6);
      assert.equal(dayOfWeek({ year: 2024, month: 2, day: 29 }), 4);
    });

    it('adds days across month, year and leap-day boundaries', () => {
      assert.deepEqual(addDays({ year: 2025, month: 1, day: 31 }, 1), { year: 2025, month: 2, day: 1 });
      assert.deepEqual(addDays({ year: 2025, month: 1, day: 1 }, -1), { year: 2024, month: 12, day: 31 });
      assert.deepEqual(addDays({ year: 2024, month: 2, day: 28 }, 1), { year: 2024, month: 2, day: 29 });
      assert.deepEqual(addDays({ year: 2025, month: 2, day: 28 }, 1), { year: 2025, month: 3, day: 1 });
    });
  });

  describe('zonedTimeToInstant', () => {
    it('converts ordinary wall times', () => {
      assert.equal(instant('UTC', '2025-06-08', '01:00'), '2025-06-08T01:00:00.000Z');
      assert.equal(instant('America/New_York', '2025-01-15', '09:00'), '2025-01-15T14:00:00.000Z');
      assert.equal(instant('Europe/London', '2025-07-15', '09:00'), '2025-07-15T08:00:00.000Z');
      assert.equal(instant('Asia/Kolkata', '2025-01-01', '00:00'), '2024-12-31T18:30:00.000Z');
    });

    it('moves a time in a spring-forward gap to the first instant after the gap', () => {
      assert.equal(instant('America/New_York', '2025-03-09', '02:00'), '2025-03-09T07:00:00.000Z');
      assert.equal(instant('America/New_York', '2025-03-09', '02:30'), '2025-03-09T07:00:00.000Z');
      assert.equal(instant('America/New_York', '2025-03-09', '03:00'), '2025-03-09T07:00:00.000Z');
      assert.equal(instant('Europe/London', '2025-03-30', '01:30'), '2025-03-30T01:00:00.000Z');
      assert.equal(instant('Australia/Lord_Howe', '2025-10-05', '02:15'), '2025-10-04T15:30:00.000Z');
    });

    it('takes the earlier instant for an ambiguous fall-back time', () => {
      assert.equal(instant('America/New_York', '2025-11-02', '01:30'), '2025-11-02T05:30:00.000Z');
      assert.equal(instant('Europe/London', '2025-10-26', '01:30'), '2025-10-26T00:30:00.000Z');
      assert.equal(instant('Australia/Lord_Howe', '2025-04-06', '01:45'), '2025-04-05T14:45:00.000Z');
    });

    it('is exact just around the transitions', () => {
      assert.equal(instant('America/New_York', '2025-03-09', '01:59'), '2025-03-09T06:59:00.000Z');
      assert.equal(instant('America/New_York', '2025-11-02', '00:59'), '2025-11-02T04:59:00.000Z');
      assert.equal(instant('America/New_York', '2025-11-02', '02:00'), '2025-11-02T07:00:00.000Z');
    });
  });
});
