// The health snapshot note a new ticket gets (issue 15, item 4): what Level said about the device
// when the ticket opened, so the technician need not open Level. Pure: the activity reads the
// device (activities/health-snapshot.ts) and stores the extracted health (db/device-health-store.ts).
//
// Everything shown comes from Level or the alert, so every value is cleaned (NUL, unpaired
// surrogates), cut to a bounded length, and a labelled value is kept on its one line: a hostname
// or user name carrying line breaks cannot forge a line of its own.
import type { LevelDevice } from '../level/schemas';
import { storable } from './storable-text';

/** What the note shows of a device: plain JSON values, so a reading can be stored and reused as is. */
export interface DeviceHealth {
  hostname: string | null;
  online: boolean | null;
  lastSeenAt: string | null;
  lastLoggedInUser: string | null;
  os: string | null;
  osEndOfLife: string | null;
  antivirus: { name: string | null; enabled: boolean | null; upToDate: boolean | null } | null;
  firewall: { name: string | null; enabled: boolean | null } | null;
  patches: { compliant: boolean | null; pendingUpdates: number | null } | null;
  diskEncryption: { name: string | null; enabled: boolean | null } | null;
  securityScore: number | null;
}

/** The alert's own text: its description and Level's `payload` (top processes, script output…). */
export interface AlertText {
  description?: string | null;
  payload?: string | null;
}

/** The whole note never exceeds this (a ticket note is read by a person, not a log). */
export const MAX_HEALTH_NOTE_LENGTH = 4000;
const MAX_VALUE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 1000;
const MAX_PAYLOAD_LENGTH = 1500;
const TRUNCATED = '[truncated]';

/** The health fields of a Level device document (read with include_operating_system and include_security). */
export function deviceHealth(device: LevelDevice): DeviceHealth {
  const items = securityItems(device.security);
  const antivirus = items.find((item) => /anti.?virus|edr|endpoint/i.test(item.type));
  const firewall = items.find((item) => /firewall/i.test(item.type));
  const patches = items.find((item) => /patch|update/i.test(item.type));
  const encryption = items.find((item) => /encrypt/i.test(item.type));
  const os = device.operating_system ?? null;
  return {
    hostname: text(device.nickname ? `${device.hostname ?? ''} (${device.nickname})`.trim() : device.hostname),
    online: device.online ?? null,
    lastSeenAt: text(device.last_seen_at),
    lastLoggedInUser: text(device.last_logged_in_user),
    os: text(os?.full_operating_system),
    osEndOfLife: text(os?.end_of_life),
    antivirus: antivirus
      ? { name: text(antivirus.name), enabled: flag(antivirus.enabled), upToDate: flag(antivirus.up_to_date) }
      : null,
    firewall: firewall ? { name: text(firewall.name), enabled: flag(firewall.enabled) } : null,
    patches: patches ? { compliant: flag(patches.compliant), pendingUpdates: count(patches.pending_updates) } : null,
    diskEncryption: encryption ? { name: text(encryption.name), enabled: flag(encryption.enabled) } : null,
    securityScore:
      typeof device.security_score === 'number' && Number.isFinite(device.security_score)
        ? device.security_score
        : null,
  };
}

/**
 * The note: a heading with when Level was read, one labelled line per field Level gave, the end of
 * life flagged once it is past (`now`), then the alert's text.
 */
export function healthSnapshotNote(health: DeviceHealth, alert: AlertText, times: { readAt: Date; now: Date }): string {
  const lines = [`Device health from Level (read ${when(times.readAt.toISOString())})`];
  const add = (label: string, value: string | null) => {
    if (value !== null && value !== '') lines.push(`${label}: ${oneLine(value)}`);
  };
  add('Device', health.hostname);
  add('Online', health.online === null ? null : health.online ? 'yes' : 'no');
  add('Last seen', health.lastSeenAt && when(health.lastSeenAt));
  add('Last logged-in user', health.lastLoggedInUser);
  add('OS', osLine(health, times.now));
  add(
    'Antivirus',
    health.antivirus &&
      product(health.antivirus.name, [
        state(health.antivirus.enabled, 'enabled', 'DISABLED'),
        state(health.antivirus.upToDate, 'up to date', 'OUT OF DATE'),
      ]),
  );
  add('Firewall', health.firewall && product(null, [state(health.firewall.enabled, 'enabled', 'DISABLED')]));
  add('Patches', health.patches && patchLine(health.patches));
  add(
    'Disk encryption',
    health.diskEncryption && product(health.diskEncryption.name, [state(health.diskEncryption.enabled, 'on', 'OFF')]),
  );
  add('Security score', health.securityScore === null ? null : `${health.securityScore}/100`);
  return bounded([...lines, ...alertLines(alert)].join('\n'));
}

/** The note when Level could not be read: why (never a secret: the caller passes a fixed phrase), then the alert's text. */
export function healthUnavailableNote(reason: string, alert: AlertText = {}): string {
  return bounded([`Health unavailable: ${oneLine(reason) || 'unknown reason'}`, ...alertLines(alert)].join('\n'));
}

// --- helpers ---------------------------------------------------------------------------------

interface SecurityItem {
  type: string;
  name?: unknown;
  enabled?: unknown;
  up_to_date?: unknown;
  compliant?: unknown;
  pending_updates?: unknown;
}

/** `security` as a list of typed items; an object keyed by type is accepted too (its shape is unconfirmed). */
function securityItems(security: LevelDevice['security']): SecurityItem[] {
  if (!security) return [];
  const entries: Array<[string | null, unknown]> = Array.isArray(security)
    ? security.map((item) => [null, item])
    : Object.entries(security);
  const items: SecurityItem[] = [];
  for (const [key, value] of entries) {
    if (!value || typeof value !== 'object') continue;
    const item = value as Record<string, unknown>;
    const type = typeof item.type === 'string' ? item.type : key;
    if (type) items.push({ ...item, type });
  }
  return items;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = oneLine(value);
  return cleaned === '' ? null : cleaned;
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** One cleaned, bounded line (cleaned after cutting, so a cut cannot leave half a surrogate pair). */
function oneLine(value: string): string {
  const line = value
    .slice(0, MAX_VALUE_LENGTH * 4)
    // eslint-disable-next-line no-control-regex -- control characters become spaces, like line breaks
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return storable(line.length > MAX_VALUE_LENGTH ? `${line.slice(0, MAX_VALUE_LENGTH - 1).trimEnd()}…` : line);
}

/** ISO times to the minute in UTC; anything else Level sent is shown as it came. */
function when(value: string): string {
  const time = isoTime(value);
  return time === null ? value : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Epoch ms of an ISO-8601 date or time; null for anything else (Date.parse alone takes "5" for a year). */
function isoTime(value: string): number | null {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? null : time;
}

function osLine(health: DeviceHealth, now: Date): string | null {
  if (!health.os && !health.osEndOfLife) return null;
  const name = health.os ?? 'unknown';
  if (!health.osEndOfLife) return name;
  const endOfLife = isoTime(health.osEndOfLife);
  if (endOfLife === null) return `${name} (end of life ${health.osEndOfLife})`;
  const day = new Date(endOfLife).toISOString().slice(0, 10);
  return endOfLife <= now.getTime() ? `${name} (PAST END OF LIFE since ${day})` : `${name} (end of life ${day})`;
}

function state(value: boolean | null, yes: string, no: string): string | null {
  return value === null ? null : value ? yes : no;
}

/** `name, state, state`, leaving out what Level did not say. */
function product(name: string | null, states: Array<string | null>): string | null {
  const parts = [name, ...states].filter((part): part is string => part !== null && part !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

function patchLine(patches: NonNullable<DeviceHealth['patches']>): string | null {
  const pending =
    patches.pendingUpdates === null
      ? null
      : `${patches.pendingUpdates} pending update${patches.pendingUpdates === 1 ? '' : 's'}`;
  return product(null, [state(patches.compliant, 'compliant', 'NOT COMPLIANT'), pending]);
}

/** The alert's description and payload as blocks (multi-line kept), each bounded; a payload equal to the description once. */
function alertLines(alert: AlertText): string[] {
  const description = block(alert.description, MAX_DESCRIPTION_LENGTH);
  const payload = block(alert.payload, MAX_PAYLOAD_LENGTH);
  const lines: string[] = [];
  if (description)
    lines.push(description.includes('\n') ? `Alert description:\n${description}` : `Alert description: ${description}`);
  if (payload && payload !== description) lines.push(`Alert output:\n${payload}`);
  return lines;
}

/** Cleaned multi-line text: control characters out, line ends unified, cut at `max` (then cleaned of NUL and half pairs). */
function block(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  // Only the start is ever shown, so only that is looked at (a payload may be megabytes).
  const cleaned = value
    .slice(0, max * 2)
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- dropping control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  if (cleaned === '') return null;
  const cut = cleaned.length > max || value.length > max * 2;
  return storable(cut ? `${cleaned.slice(0, max - TRUNCATED.length - 1).trimEnd()}\n${TRUNCATED}` : cleaned);
}

/** The whole note within MAX_HEALTH_NOTE_LENGTH (the parts are bounded; this is the last guard). */
function bounded(note: string): string {
  return note.length <= MAX_HEALTH_NOTE_LENGTH
    ? note
    : storable(`${note.slice(0, MAX_HEALTH_NOTE_LENGTH - TRUNCATED.length - 1).trimEnd()}\n${TRUNCATED}`);
}
