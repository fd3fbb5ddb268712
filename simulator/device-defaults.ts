// Realistic core fields for a new device. Used by the generator and by `Fleet.addDevice` when a
// test leaves fields out, so hand-made fleets serve complete documents too.
import {
  CPU_CORE_COUNTS,
  FIRST_NAMES,
  FLEET_EPOCH_MS,
  HARDWARE,
  LOCATIONS,
  MEMORY_SIZES_GIB,
  NICKNAMES,
  PUBLIC_NETS,
  ROLE_WEIGHTS,
  SERVER_HARDWARE,
  SERVER_PLATFORMS,
  TAG_NAMES,
  WORKSTATION_PLATFORMS,
} from './catalog';
import { DeviceCoreFields, DevicePlatform, DeviceRole } from './documents';
import { Prng } from './prng';

const GIB = 1024 ** 3;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function defaultDeviceFields(prng: Prng, sequence: number): DeviceCoreFields {
  const role = prng.weighted(ROLE_WEIGHTS);
  const platform = prng.weighted(role === 'workstation' || role === null ? WORKSTATION_PLATFORMS : SERVER_PLATFORMS);
  const [manufacturer, model] = prng.pick(isServer(role) ? SERVER_HARDWARE : HARDWARE[platform]);
  const online = prng.chance(0.8);
  const [city, country] = prng.chance(0.9) ? prng.pick(LOCATIONS) : [null, null];
  return {
    hostname: hostnameFor(role, platform, sequence),
    nickname: prng.chance(0.15) ? prng.pick(NICKNAMES) : null,
    role,
    tags: pickTags(prng),
    flag: prng.chance(0.05),
    maintenance_mode: prng.chance(0.03),
    online,
    notes: prng.chance(0.1) ? 'Managed under contract; call before rebooting.' : '',
    platform,
    manufacturer,
    model,
    architecture: platform === 'Mac' ? 'arm64' : 'x64',
    serial_number: serialNumber(prng),
    total_memory: prng.pick(MEMORY_SIZES_GIB) * GIB,
    cpu_cores: prng.pick(CPU_CORE_COUNTS),
    last_logged_in_user: isServer(role) && prng.chance(0.5) ? null : prng.pick(FIRST_NAMES),
    last_reboot_time: isoAgo(prng.int(1, 40 * 24 * 60) * MINUTE_MS),
    last_seen_at: isoAgo(online ? prng.int(0, 5) * MINUTE_MS : prng.int(1, 60) * DAY_MS),
    city,
    country,
    security_score: prng.int(35, 100),
    public_ip_address: prng.chance(0.95) ? `${prng.pick(PUBLIC_NETS)}.${prng.int(1, 254)}` : null,
  };
}

function isServer(role: DeviceRole | null): boolean {
  return role === 'server' || role === 'domain_controller';
}

/** Hostnames carry the sequence number so they are unique within a fleet. */
function hostnameFor(role: DeviceRole | null, platform: DevicePlatform, sequence: number): string {
  const number = String(sequence).padStart(5, '0');
  if (role === 'domain_controller') return `DC-${number}`;
  if (role === 'server') return platform === 'Linux' ? `srv-${number}` : `SRV-${number}`;
  if (platform === 'Mac') return `MacBook-${number}`;
  return platform === 'Linux' ? `linux-ws-${number}` : `WS-${number}`;
}

function pickTags(prng: Prng): string[] {
  const count = prng.weighted([
    [0, 50],
    [1, 30],
    [2, 15],
    [3, 5],
  ] as const);
  const tags = new Set<string>();
  while (tags.size < count) tags.add(prng.pick(TAG_NAMES));
  return [...tags].sort();
}

function serialNumber(prng: Prng): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let serial = '';
  for (let i = 0; i < 10; i += 1) serial += alphabet[prng.int(0, alphabet.length - 1)];
  return serial;
}

/** Generated times fall on whole minutes, so there are few distinct values: cache them. */
const isoCache = new Map<number, string>();

export function isoAgo(ms: number): string {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    iso = new Date(FLEET_EPOCH_MS - ms).toISOString();
    isoCache.set(ms, iso);
  }
  return iso;
}
