// Turning an authenticated webhook body into what the pipelines need: an alert event, a device
// nudge (the body names a device but no usable alert: the card's automation template, whose
// `"event": "device_alert"` Level fills with device variables only), a device or group change,
// or an ignored native event. Both shapes are accepted: the automation payload template (`event`,
// `device_id`, ..., or explicit alert fields) and Level's native envelope (`event_type`,
// `event_id`, `occurred_at`, `data`). Problems are 400 (malformed,
// over a limit, missing fields, unknown event) or 422 (template placeholders Level never filled in).
// Event types are looked up as own keys only: `"constructor"` is no event.
import { createHash } from 'node:crypto';
import type { AlertEvent, AlertEventKind, AlertSnapshot } from '../../contracts/alerts';
import type { LevelChangeEvent, LevelObjectKind } from '../../contracts/level-objects';
import { isSeverity, type Severity } from '../../domain/priority';
import { ApiError } from '../errors';
import { checkLimits, storableText } from './limits';

export type ParsedWebhook =
  | { kind: 'event'; event: AlertEvent }
  | { kind: 'nudge'; eventId: string; levelDeviceId: string }
  | { kind: 'change'; object: LevelObjectKind; levelId: string; change: LevelChangeEvent }
  | { kind: 'ignored'; eventId: string; eventType: string };

export const TEMPLATE_EVENTS = {
  'alert.triggered': 'triggered',
  'alert.resolved': 'resolved',
} as const satisfies Record<string, AlertEventKind>;
export const NATIVE_ALERT_EVENTS = { alert_active: 'triggered', alert_resolved: 'resolved' } as const satisfies Record<
  string,
  AlertEventKind
>;
/** The card's automation template: a device had an alert; which one, only Level's API can say. */
export const DEVICE_ALERT_EVENT = 'device_alert';

type ChangeKind = { object: LevelObjectKind; action: LevelChangeEvent['action'] };
export const NATIVE_CHANGE_EVENTS: Readonly<Record<string, ChangeKind>> = Object.freeze({
  device_created: { object: 'device', action: 'upsert' },
  device_updated: { object: 'device', action: 'upsert' },
  device_deleted: { object: 'device', action: 'delete' },
  group_created: { object: 'group', action: 'upsert' },
  group_updated: { object: 'group', action: 'upsert' },
  group_deleted: { object: 'group', action: 'delete' },
});

const TEMPLATE_FIELDS = [
  'event',
  'alert_id',
  'device_id',
  'hostname',
  'group_id',
  'name',
  'severity',
  'description',
  'occurred_at',
] as const;

type Json = Record<string, unknown>;

export function parseJsonBody(raw: Buffer): Json {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (!isObject(body)) throw new ApiError(400, 'invalid_request', 'Request body must be a JSON object');
  if (nestedDeeperThan(body, MAX_NESTING))
    throw new ApiError(400, 'invalid_request', `Request body is nested more than ${MAX_NESTING} levels deep`);
  return body;
}

/** Level's bodies are a few levels deep; the cleaning and limits below walk bodies recursively. */
export const MAX_NESTING = 32;

/** Walks without recursion, so a body nested 100,000 levels deep cannot exhaust the stack here. */
function nestedDeeperThan(root: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const inner of Object.values(value)) pending.push([inner, depth + 1]);
  }
  return false;
}

/**
 * A time at Level further ahead of ours than this is taken as the receive time: a trigger dated
 * 9999-12-31 would otherwise make every later event of its alert look stale, so it never resolves.
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export function parseWebhook(body: Json, receivedAt: Date): ParsedWebhook {
  const native = Object.hasOwn(body, 'event_type');
  checkLimits(body, native);
  const clean = storableText(body);
  return native ? parseNative(clean, receivedAt) : parseTemplate(clean, receivedAt);
}

// --- automation payload template -------------------------------------------------------------

function parseTemplate(body: Json, receivedAt: Date): ParsedWebhook {
  const unfilled = TEMPLATE_FIELDS.filter((field) => isPlaceholder(body[field]));
  const eventName = body.event;
  if (isPlaceholder(eventName)) throw unfilledTemplate(unfilled);
  if (eventName === undefined || eventName === null || eventName === '') throw missingFields(['event']);
  if (eventName === DEVICE_ALERT_EVENT) return parseDeviceAlert(body, unfilled, receivedAt);
  const kind = typeof eventName === 'string' ? ownValue(TEMPLATE_EVENTS, eventName) : undefined;
  if (typeof eventName !== 'string' || kind === undefined) {
    throw new ApiError(
      400,
      'unknown_event',
      `Unknown event "${truncate(typeof eventName === 'string' ? eventName : JSON.stringify(eventName))}": use "${DEVICE_ALERT_EVENT}", "alert.triggered" or "alert.resolved"`,
      { fields: [{ field: 'event', message: 'Unknown event' }] },
    );
  }
  const deviceId = usable(body.device_id);
  if (deviceId === null) {
    if (unfilled.length > 0) throw unfilledTemplate(unfilled);
    throw missingFields(['device_id', ...(usable(body.alert_id) === null ? ['alert_id'] : [])]);
  }
  const alertId = usable(body.alert_id);
  const name = usable(body.name);
  // A device but no usable alert: Level filled the device variables only. Reconcile the device.
  if (alertId === null || (kind === 'triggered' && name === null)) {
    return {
      kind: 'nudge',
      eventId: derivedId('nudge', deviceId, eventName, nudgeTime(body, receivedAt)),
      levelDeviceId: deviceId,
    };
  }
  if (unfilled.length > 0) throw unfilledTemplate(unfilled);
  const levelTime = timestamp(body.occurred_at, 'occurred_at') ?? receivedAt.toISOString();
  const occurredAt = notAhead(levelTime, receivedAt);
  const alert: AlertSnapshot = {
    levelAlertId: alertId,
    levelDeviceId: deviceId,
    name: name ?? '',
    description: stringOrNull(body.description),
    severity: severityOf(body.severity),
    startedAt: kind === 'triggered' ? occurredAt : null,
    resolvedAt: kind === 'resolved' ? occurredAt : null,
    hostname: stringOrNull(body.hostname),
    levelGroupId: stringOrNull(body.group_id),
  };
  // The id comes from Level's time as sent, so a redelivery of a clamped event keeps its id.
  return {
    kind: 'event',
    event: { eventId: derivedId('tpl', alertId, kind, levelTime), kind, occurredAt, source: 'template', alert },
  };
}

/** The card's template: Level filled the device variables; the device's alerts are reconciled. */
function parseDeviceAlert(body: Json, unfilled: readonly string[], receivedAt: Date): ParsedWebhook {
  const deviceId = usable(body.device_id);
  if (deviceId === null)
    throw unfilled.includes('device_id') ? unfilledTemplate(unfilled) : missingFields(['device_id']);
  return {
    kind: 'nudge',
    eventId: derivedId('nudge', deviceId, DEVICE_ALERT_EVENT, nudgeTime(body, receivedAt)),
    levelDeviceId: deviceId,
  };
}

/**
 * What tells a nudge's deliveries apart: each automation run has its own time (level_time), so a
 * retry of the same body keeps its id. Without a filled-in time every nudge of the device would
 * share one id and count as a redelivery, so the receive time stands in.
 */
function nudgeTime(body: Json, receivedAt: Date): string {
  const sent = stringOrNull(body.occurred_at);
  return sent !== null && !isPlaceholder(sent) ? sent : receivedAt.toISOString();
}

// --- native Level webhooks ---------------------------------------------------------------------

function parseNative(body: Json, receivedAt: Date): ParsedWebhook {
  const eventType = body.event_type;
  const eventId = usable(body.event_id);
  const missing = [
    ...(typeof eventType === 'string' && eventType !== '' ? [] : ['event_type']),
    ...(eventId === null ? ['event_id'] : []),
  ];
  if (missing.length > 0) throw missingFields(missing);
  const type = eventType as string;
  const change = ownValue(NATIVE_CHANGE_EVENTS, type);
  if (change !== undefined) return parseChange(change, `native:${eventId}`, body, receivedAt);
  const kind = ownValue(NATIVE_ALERT_EVENTS, type);
  if (kind === undefined) return { kind: 'ignored', eventId: `native:${eventId}`, eventType: truncate(type) };
  const data = body.data;
  if (!isObject(data)) throw missingFields(['data']);
  const deviceId = usable(data.device_id);
  const alertId = usable(data.id);
  const name = usable(data.name);
  if (deviceId === null) throw missingFields(['data.device_id', ...(alertId === null ? ['data.id'] : [])]);
  if (alertId === null || (kind === 'triggered' && name === null))
    return { kind: 'nudge', eventId: `native:${eventId}`, levelDeviceId: deviceId };
  const startedAt = notAhead(timestamp(data.started_at, 'data.started_at'), receivedAt);
  const resolvedAt = notAhead(timestamp(data.resolved_at, 'data.resolved_at'), receivedAt);
  const occurredAt =
    notAhead(timestamp(body.occurred_at, 'occurred_at'), receivedAt) ??
    (kind === 'resolved' ? resolvedAt : startedAt) ??
    receivedAt.toISOString();
  const alert: AlertSnapshot = {
    levelAlertId: alertId,
    levelDeviceId: deviceId,
    name: name ?? '',
    description: stringOrNull(data.description),
    severity: severityOf(data.severity),
    startedAt,
    resolvedAt: kind === 'resolved' ? (resolvedAt ?? occurredAt) : null,
    hostname: stringOrNull(data.device_hostname) ?? stringOrNull(data.hostname),
    levelGroupId: stringOrNull(data.group_id),
  };
  return { kind: 'event', event: { eventId: `native:${eventId}`, kind, occurredAt, source: 'native', alert } };
}

/** A device or group event: only the object's id and Level's time are kept (the run fetches the rest). */
function parseChange(change: ChangeKind, eventId: string, body: Json, receivedAt: Date): ParsedWebhook {
  const data = body.data;
  if (!isObject(data)) throw missingFields(['data']);
  const idField = change.object === 'device' ? 'device_id' : 'group_id';
  const levelId = usable(data.id) ?? usable(data[idField]);
  if (levelId === null) throw missingFields(['data.id']);
  const occurredAt = notAhead(timestamp(body.occurred_at, 'occurred_at'), receivedAt) ?? receivedAt.toISOString();
  return { kind: 'change', object: change.object, levelId, change: { eventId, action: change.action, occurredAt } };
}

// --- helpers -----------------------------------------------------------------------------------

const PLACEHOLDER = /\{\{[^}]*\}\}/;

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/** A string (or number) id that is present and filled in, else null. */
function usable(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || isPlaceholder(trimmed) ? null : trimmed;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function timestamp(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new ApiError(400, 'invalid_request', `${field} is not a valid timestamp`, {
      fields: [{ field, message: 'Not an ISO-8601 timestamp' }],
    });
  }
  return date.toISOString();
}

/** The receive time instead of a time more than MAX_FUTURE_SKEW_MS ahead of it. */
function notAhead<T extends string | null>(iso: T, receivedAt: Date): T {
  if (iso === null || Date.parse(iso) - receivedAt.getTime() <= MAX_FUTURE_SKEW_MS) return iso;
  return receivedAt.toISOString() as T;
}

/** The map's value for an own key (never one inherited from Object.prototype). */
function ownValue<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

const SEVERITY_ALIASES: Record<string, Severity> = {
  info: 'information',
  informational: 'information',
  warn: 'warning',
  crit: 'critical',
  emerg: 'emergency',
};

/** Level's severities; unknown or absent values count as warnings rather than losing the alert. */
function severityOf(value: unknown): Severity {
  if (typeof value !== 'string') return 'warning';
  const normalized = value.trim().toLowerCase();
  if (isSeverity(normalized)) return normalized;
  return ownValue(SEVERITY_ALIASES, normalized) ?? 'warning';
}

function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
}

function missingFields(fields: string[]): ApiError {
  return new ApiError(400, 'invalid_request', `Missing fields: ${fields.join(', ')}`, {
    fields: fields.map((field) => ({ field, message: 'Required' })),
  });
}

function unfilledTemplate(fields: readonly string[]): ApiError {
  const list = fields.join(', ');
  return new ApiError(
    422,
    'template_not_filled',
    `Level did not fill in the payload template (${list} still contain {{...}} placeholders). Paste the card's payload template unchanged into the ` +
      "Level automation's HTTP request action: Level fills in only its own {{level_...}} variables and sends any other placeholder as it is.",
    { fields: fields.map((field) => ({ field, message: 'Placeholder was not filled in by Level' })) },
  );
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}
