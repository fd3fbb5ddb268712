// The input limits every webhook body passes before anything reads its meaning (api.md, "Input
// limits on every body"): ids at most 200 characters, text at most 64 KiB, timestamps short, and
// the right JSON types. A body over a limit is refused with 400 naming the field, before anything
// is recorded. Ids must also be storable as they are (no NUL, no unpaired UTF-16 surrogate):
// changing an id would change which alert it names. Text is cleaned instead (see `storableText`).
import { z } from 'zod';
import { hasUnstorable, storable } from '../../domain/storable-text';
import { parseInput } from '../validation';

export const MAX_ID_CHARS = 200;
export const MAX_TEXT_BYTES = 64 * 1024;
const MAX_TIMESTAMP_CHARS = 64;

const idString = z
  .string()
  .max(MAX_ID_CHARS, `At most ${MAX_ID_CHARS} characters`)
  .refine((value) => !hasUnstorable(value), 'Contains a NUL character or an unpaired surrogate');
const id = z.union([idString, z.number()], 'Must be a string id').nullish();
const text = z
  .string('Must be a string')
  .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_TEXT_BYTES, `At most ${MAX_TEXT_BYTES / 1024} KiB`)
  .nullish();
const time = z
  .union(
    [z.string().max(MAX_TIMESTAMP_CHARS, `At most ${MAX_TIMESTAMP_CHARS} characters`), z.number()],
    'Must be an ISO-8601 timestamp',
  )
  .nullish();
const eventType = z.string('Must be a string').max(MAX_ID_CHARS, `At most ${MAX_ID_CHARS} characters`).nullish();

/** The automation payload template's fields (others are allowed and never read). */
const templateBody = z.looseObject({
  event: eventType,
  event_id: id,
  alert_id: id,
  device_id: id,
  group_id: id,
  hostname: text,
  group_path: text,
  name: text,
  severity: text,
  description: text,
  occurred_at: time,
});

/** `data` of a native event: an alert, a device or a group. */
const nativeData = z.looseObject({
  id,
  device_id: id,
  group_id: id,
  parent_id: id,
  child_ids: z.array(id, 'Must be a list of ids').nullish(),
  name: text,
  nickname: text,
  description: text,
  payload: text,
  severity: text,
  hostname: text,
  device_hostname: text,
  started_at: time,
  resolved_at: time,
});

const nativeEnvelope = z.looseObject({
  event_type: eventType,
  event_id: id,
  occurred_at: time,
  data: nativeData.nullish(),
});

/** Throws 400 (the fields named) unless the body keeps every limit. */
export function checkLimits(body: Record<string, unknown>, native: boolean): void {
  parseInput(native ? nativeEnvelope : templateBody, body);
}

/**
 * The body with NUL characters and unpaired surrogates removed from every string: they would
 * make PostgreSQL refuse the alert on every retry, and text without them still says what the
 * alert was. (Ids never reach this with one: `checkLimits` refuses them.)
 */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return storable(value) as T;
  if (Array.isArray(value)) return value.map(storableText) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storableText(inner)])) as T;
  }
  return value;
}
