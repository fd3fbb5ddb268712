// Maintenance windows: periods during which alerts are recorded but not ticketed.
//
// A window is either one-off (an instant range) or weekly (local days and wall times in an IANA
// zone). `days` are the local days on which an occurrence STARTS; an end time earlier than the
// start time means the occurrence ends on the next local day. Wall times are converted through
// the zone on the occurrence's own date, so occurrences keep their wall-clock times across DST
// changes (and may be an hour shorter or longer in real time on the change day).

import { addDays, dayOfWeek, isValidTimeZone, localDateAt, parseWallClock, zonedTimeToInstant } from './zoned-time';
import type { LocalDate } from './zoned-time';

export interface WeeklyRecurrence {
  /** Local days on which occurrences start, 0 = Sunday. */
  days: number[];
  /** `HH:mm`, 24-hour. */
  startTime: string;
  endTime: string;
  /** IANA zone, e.g. `Europe/London`. */
  timezone: string;
}

export interface WindowScope {
  clientId?: string | null;
  assetId?: string | null;
}

export interface MaintenanceWindowSpec {
  id: string;
  enabled: boolean;
  scope: WindowScope;
  startsAt?: Date | null;
  endsAt?: Date | null;
  recurrence?: WeeklyRecurrence | null;
}

/** What an alert is about: its client and (once synced) its asset. */
export interface WindowTarget {
  clientId: string | null;
  assetId: string | null;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

export interface ValidationIssue {
  field: string;
  message: string;
}

/** The fields validation looks at; `id` and `enabled` do not affect validity. */
export type WindowInput = Pick<MaintenanceWindowSpec, 'startsAt' | 'endsAt' | 'recurrence'> & {
  scope?: WindowScope | null;
};

export interface Suppression {
  window: MaintenanceWindowSpec;
  /** When the suppressing occurrence ends (exclusive): the moment to evaluate the alert again. */
  endsAt: Date;
}

// --- validation ------------------------------------------------------------------------------

/** Every problem with a window definition; empty when it is valid. */
export function validateWindow(input: WindowInput): ValidationIssue[] {
  return [...validateScope(input.scope), ...validateSchedule(input)];
}

function validateScope(scope: WindowScope | null | undefined): ValidationIssue[] {
  if (isSet(scope?.clientId) && isSet(scope?.assetId)) {
    return [{ field: 'scope', message: 'A window applies to a client or to an asset, not both' }];
  }
  return [];
}

function validateSchedule(input: WindowInput): ValidationIssue[] {
  const hasOneOff = isPresent(input.startsAt) || isPresent(input.endsAt);
  const hasRecurrence = isPresent(input.recurrence);
  if (hasOneOff && hasRecurrence) {
    return [{ field: 'recurrence', message: 'Give either startsAt/endsAt or a recurrence, not both' }];
  }
  if (isPresent(input.recurrence)) return validateRecurrence(input.recurrence);
  if (hasOneOff) return validateOneOff(input.startsAt, input.endsAt);
  return [{ field: 'startsAt', message: 'A window needs either startsAt and endsAt, or a weekly recurrence' }];
}

function validateOneOff(startsAt: Date | null | undefined, endsAt: Date | null | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPresent(startsAt)) issues.push({ field: 'startsAt', message: 'startsAt is required with endsAt' });
  else if (!isValidDate(startsAt)) issues.push({ field: 'startsAt', message: 'startsAt is not a valid date' });
  if (!isPresent(endsAt)) issues.push({ field: 'endsAt', message: 'endsAt is required with startsAt' });
  else if (!isValidDate(endsAt)) issues.push({ field: 'endsAt', message: 'endsAt is not a valid date' });
  if (issues.length === 0 && startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
    issues.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
  }
  return issues;
}

function validateRecurrence(recurrence: WeeklyRecurrence): ValidationIssue[] {
  const issues = [
    ...validateDays(recurrence.days),
    ...validateTime('recurrence.startTime', recurrence.startTime),
    ...validateTime('recurrence.endTime', recurrence.endTime),
    ...validateTimeZone(recurrence.timezone),
  ];
  if (issues.length === 0 && recurrence.startTime === recurrence.endTime) {
    issues.push({ field: 'recurrence.endTime', message: 'endTime must differ from startTime' });
  }
  return issues;
}

function validateDays(days: readonly number[]): ValidationIssue[] {
  const field = 'recurrence.days';
  if (!Array.isArray(days) || days.length === 0) return [{ field, message: 'Choose at least one day' }];
  if (!days.every((day) => Number.isInteger(day) && day >= 0 && day <= 6)) {
    return [{ field, message: 'Days are whole numbers from 0 (Sunday) to 6 (Saturday)' }];
  }
  if (new Set(days).size !== days.length) return [{ field, message: 'Each day may be listed only once' }];
  return [];
}

function validateTime(field: string, time: string): ValidationIssue[] {
  if (typeof time === 'string' && parseWallClock(time) !== null) return [];
  return [{ field, message: 'Use a 24-hour time HH:mm between 00:00 and 23:59' }];
}

function validateTimeZone(timezone: string): ValidationIssue[] {
  if (typeof timezone === 'string' && isValidTimeZone(timezone)) return [];
  return [
    {
      field: 'recurrence.timezone',
      message: `Unknown time zone "${String(timezone)}" (use an IANA name such as Europe/London)`,
    },
  ];
}

// --- activity --------------------------------------------------------------------------------

/** The occurrence of the window that contains `at` (start inclusive, end exclusive), or null. */
export function activeOccurrence(window: MaintenanceWindowSpec, at: Date): Occurrence | null {
  if (!window.enabled) return null;
  if (window.recurrence) return activeWeeklyOccurrence(window.recurrence, at);
  if (window.startsAt && window.endsAt) return activeOneOff(window.startsAt, window.endsAt, at);
  return null;
}

/** Whether a window's scope covers the alert's target; every scope field given must match. */
export function windowAppliesTo(window: Pick<MaintenanceWindowSpec, 'scope'>, target: WindowTarget): boolean {
  const { clientId, assetId } = window.scope;
  if (isSet(assetId) && assetId !== target.assetId) return false;
  if (isSet(clientId) && clientId !== target.clientId) return false;
  return true;
}

/**
 * The window suppressing an alert now, if any. When several apply, the one ending last is chosen
 * so that a timer set to its end fires after every overlapping window (ties: smallest id).
 */
export function findSuppressingWindow(
  windows: readonly MaintenanceWindowSpec[],
  target: WindowTarget,
  at: Date,
): Suppression | null {
  let best: Suppression | null = null;
  for (const window of windows) {
    if (!windowAppliesTo(window, target)) continue;
    const occurrence = activeOccurrence(window, at);
    if (occurrence && (best === null || endsLater({ window, endsAt: occurrence.end }, best))) {
      best = { window, endsAt: occurrence.end };
    }
  }
  return best;
}

function endsLater(candidate: Suppression, current: Suppression): boolean {
  const difference = candidate.endsAt.getTime() - current.endsAt.getTime();
  return difference > 0 || (difference === 0 && candidate.window.id < current.window.id);
}

function activeOneOff(startsAt: Date, endsAt: Date, at: Date): Occurrence | null {
  return contains(startsAt, endsAt, at) ? { start: startsAt, end: endsAt } : null;
}

/**
 * An occurrence containing `at` started on `at`'s local date or, for a window crossing midnight,
 * the day before. Both are checked; should two overlap (a near-24h window on a fall-back day),
 * the later-ending one is returned, matching how suppression picks its end.
 */
function activeWeeklyOccurrence(recurrence: WeeklyRecurrence, at: Date): Occurrence | null {
  if (!isValidTimeZone(recurrence.timezone)) return null;
  const today = localDateAt(at.getTime(), recurrence.timezone);
  let found: Occurrence | null = null;
  for (const startDate of [addDays(today, -1), today]) {
    if (!recurrence.days.includes(dayOfWeek(startDate))) continue;
    const occurrence = weeklyOccurrenceOn(recurrence, startDate);
    if (occurrence && contains(occurrence.start, occurrence.end, at)) found = laterEnding(found, occurrence);
  }
  return found;
}

/** The occurrence starting on a local date; null if the stored times are unusable. */
export function weeklyOccurrenceOn(recurrence: WeeklyRecurrence, startDate: LocalDate): Occurrence | null {
  const startTime = parseWallClock(recurrence.startTime);
  const endTime = parseWallClock(recurrence.endTime);
  if (!startTime || !endTime) return null;
  const crossesMidnight = recurrence.endTime < recurrence.startTime;
  const endDate = crossesMidnight ? addDays(startDate, 1) : startDate;
  return {
    start: zonedTimeToInstant(startDate, startTime, recurrence.timezone),
    end: zonedTimeToInstant(endDate, endTime, recurrence.timezone),
  };
}

function laterEnding(current: Occurrence | null, candidate: Occurrence): Occurrence {
  return current === null || candidate.end.getTime() > current.end.getTime() ? candidate : current;
}

function contains(start: Date, end: Date, at: Date): boolean {
  const t = at.getTime();
  return start.getTime() <= t && t < end.getTime();
}

// --- helpers ---------------------------------------------------------------------------------

function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** A scope id counts only when non-empty: '' from a form means "not scoped". */
function isSet(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value !== '';
}

function isValidDate(value: Date): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
