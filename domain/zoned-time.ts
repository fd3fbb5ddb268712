// Wall-clock time in IANA time zones, computed with the built-in Intl API only.
//
// Intl can turn an instant into a zone's wall time but not the reverse, so the reverse is solved
// from offsets: an instant t shows wall time w exactly when t + offset(t) = w. Around a DST change
// a wall time can have two solutions (fall back: the earlier is taken) or none (spring forward:
// the first instant after the gap is taken, i.e. the moment the clocks jump).

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

export interface WallClock {
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;
/** Offsets on Earth lie within -12h..+14h; a day either side safely brackets any solution. */
const SEARCH_MARGIN_MS = DAY_MS;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses a strict 24-hour `HH:mm` (00:00–23:59), or returns null. */
export function parseWallClock(text: string): WallClock | null {
  const match = HH_MM.exec(text);
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** True for a time-zone name Intl knows (IANA names such as `Europe/London`, and `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  // Intl resolves to whole seconds; offsets are compared against the second the instant is in.
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallTimeAsUtcMs(wholeSecond, timeZone) - wholeSecond;
}

/** The calendar date an instant falls on in the zone. */
export function localDateAt(instantMs: number, timeZone: string): LocalDate {
  return utcDateFields(wallTimeAsUtcMs(instantMs, timeZone));
}

/** Day of week of a calendar date, 0 = Sunday (the date itself, no zone involved). */
export function dayOfWeek(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The date `days` days after `date` (negative goes back); months and years roll over. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return utcDateFields(Date.UTC(date.year, date.month - 1, date.day + days));
}

/**
 * The instant a zone's clocks show `date` at `time`. In a spring-forward gap: the first valid
 * instant after the gap. When the wall time happens twice (fall back): the earlier instant.
 */
export function zonedTimeToInstant(date: LocalDate, time: WallClock, timeZone: string): Date {
  const wallMs = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  const offsets = candidateOffsets(wallMs, timeZone);
  const solutions = offsets.map((offset) => wallMs - offset).filter((t) => zoneOffsetMs(t, timeZone) === wallMs - t);
  if (solutions.length > 0) return new Date(Math.min(...solutions));
  return new Date(endOfGap(wallMs, offsets, timeZone));
}

// --- internals -------------------------------------------------------------------------------

/**
 * Offsets in force around the wall time. The real instant lies within a day of `wallMs`, and DST
 * changes are far apart, so the offsets a day before, at, and a day after cover every candidate.
 */
function candidateOffsets(wallMs: number, timeZone: string): number[] {
  const samples = [wallMs - SEARCH_MARGIN_MS, wallMs, wallMs + SEARCH_MARGIN_MS];
  return [...new Set(samples.map((t) => zoneOffsetMs(t, timeZone)))];
}

/**
 * The wall time does not exist, so clocks jumped over it. Reading it with the largest offset gives
 * an instant before the jump, with the smallest an instant after; the jump lies between and is
 * found by bisection (offsets are whole seconds, so this ends within about 20 steps).
 */
function endOfGap(wallMs: number, offsets: readonly number[], timeZone: string): number {
  let before = wallMs - Math.max(...offsets);
  let after = wallMs - Math.min(...offsets);
  const offsetBefore = zoneOffsetMs(before, timeZone);
  if (before === after) return before;
  while (after - before > 1000) {
    const middle = before + Math.floor((after - before) / 2000) * 1000;
    if (zoneOffsetMs(middle, timeZone) === offsetBefore) before = middle;
    else after = middle;
  }
  return after;
}

/** The zone's wall time at an instant, expressed as if it were a UTC timestamp. */
function wallTimeAsUtcMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return Date.UTC(
    field(fields, 'year'),
    field(fields, 'month') - 1,
    field(fields, 'day'),
    field(fields, 'hour'),
    field(fields, 'minute'),
    field(fields, 'second'),
  );
}

function field(fields: Readonly<Record<string, number>>, name: string): number {
  const value = fields[name];
  if (value === undefined || Number.isNaN(value)) throw new Error(`Intl did not report the ${name}`);
  return value;
}

function utcDateFields(ms: number): LocalDate {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

// Building a formatter is far slower than using one; they are immutable, so caching one per zone
// keeps results identical while making window checks cheap.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
