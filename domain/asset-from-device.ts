// How a Level device becomes a PSA asset (product spec section 4). Pure: the sync and the
// single-device path both use it, so an asset looks the same whichever way it was written.
import type { LevelDevice } from '../level/schemas';

export type AssetType = 'workstation' | 'server';

export interface AssetFields {
  levelDeviceId: string;
  name: string;
  hostname: string | null;
  assetType: AssetType;
  platform: string | null;
  osName: string | null;
  online: boolean;
  lastSeenAt: Date | null;
  lastRebootAt: Date | null;
  serialNumber: string | null;
  manufacturer: string | null;
  model: string | null;
  cpu: { cores: number | null; architecture: string | null; processors: unknown[] } | null;
  memoryBytes: number | null;
  disks: unknown[] | null;
  ipAddresses: string[];
  levelGroupId: string | null;
  tags: string[];
  maintenanceMode: boolean;
  /** The Level document for everything else, minus the detail arrays already kept in columns. */
  raw: Omit<LevelDevice, 'cpus' | 'disks'>;
}

const SERVER_ROLES = new Set(['server', 'domain_controller']);

/** Throws InvalidDeviceError for a document that cannot make an asset (counted as failed). */
export function assetFromDevice(device: LevelDevice): AssetFields {
  const name = nonBlank(device.nickname) ?? nonBlank(device.hostname);
  if (!name) throw new InvalidDeviceError(device.id, 'has neither a nickname nor a hostname');
  return {
    levelDeviceId: device.id,
    name,
    hostname: nonBlank(device.hostname),
    assetType: device.role && SERVER_ROLES.has(device.role) ? 'server' : 'workstation',
    platform: device.platform ?? null,
    osName: device.operating_system?.full_operating_system ?? null,
    online: device.online === true,
    lastSeenAt: parseDate(device.last_seen_at),
    lastRebootAt: parseDate(device.last_reboot_time),
    serialNumber: nonBlank(device.serial_number),
    manufacturer: nonBlank(device.manufacturer),
    model: nonBlank(device.model),
    cpu:
      device.cpu_cores != null || device.cpus
        ? { cores: device.cpu_cores ?? null, architecture: device.architecture ?? null, processors: device.cpus ?? [] }
        : null,
    memoryBytes: typeof device.total_memory === 'number' ? device.total_memory : null,
    disks: device.disks ?? null,
    ipAddresses: ipAddressesOf(device),
    levelGroupId: device.group_id ?? null,
    tags: device.tags ?? [],
    maintenanceMode: device.maintenance_mode === true,
    raw: withoutColumnDetails(device),
  };
}

export class InvalidDeviceError extends Error {
  constructor(
    readonly levelDeviceId: string,
    reason: string,
  ) {
    super(`Level device ${levelDeviceId} ${reason}`);
    this.name = 'InvalidDeviceError';
  }
}

/** cpus and disks live in their own columns; storing them twice would double every write. */
function withoutColumnDetails(device: LevelDevice): Omit<LevelDevice, 'cpus' | 'disks'> {
  const { cpus: _cpus, disks: _disks, ...rest } = device;
  return rest;
}

function ipAddressesOf(device: LevelDevice): string[] {
  const addresses = (device.network_interfaces ?? []).flatMap((nic) => nic.ip_addresses ?? []);
  if (device.public_ip_address) addresses.push(device.public_ip_address);
  return [...new Set(addresses)];
}

function nonBlank(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
