// Shapes of what the simulator stores and what it serves, in Level's snake_case. Stored records
// keep only the core fields; group counts, child ids and a device's group name are derived when
// a document is served, so they can never drift from the model.

export type DeviceRole = 'workstation' | 'server' | 'domain_controller';
export type DevicePlatform = 'Windows' | 'Mac' | 'Linux';
export type AlertSeverity = 'information' | 'warning' | 'critical' | 'emergency';

export interface GroupRecord {
  id: string;
  name: string;
  parent_id: string | null;
}

export interface GroupDocument extends GroupRecord {
  child_ids: string[];
  device_count: number;
  descendent_device_count: number;
}

/** Fields served on every device, whatever the include flags. */
export interface DeviceCoreFields {
  hostname: string;
  nickname: string | null;
  role: DeviceRole | null;
  tags: string[];
  flag: boolean;
  maintenance_mode: boolean;
  online: boolean;
  notes: string;
  platform: DevicePlatform;
  manufacturer: string;
  model: string;
  architecture: string;
  serial_number: string;
  total_memory: number;
  cpu_cores: number;
  last_logged_in_user: string | null;
  last_reboot_time: string;
  last_seen_at: string;
  city: string | null;
  country: string | null;
  security_score: number;
  public_ip_address: string | null;
}

export interface OperatingSystemDetail {
  full_operating_system: string;
  major_version: string;
  minor_version: string;
  architecture: string;
  install_date: string;
  end_of_life: string | null;
}

/**
 * One item of `security` (include_security; its shape is unconfirmed at Level, see level-api.md):
 * a product or setting named by `type`, with the fields that type has.
 */
export interface SecurityItem {
  name: string;
  /** `antivirus`, `firewall`, `patches` or `disk_encryption` in the simulator. */
  type: string;
  enabled?: boolean;
  up_to_date?: boolean;
  /** `patches`: no update outstanding. */
  compliant?: boolean;
  pending_updates?: number;
  [key: string]: unknown;
}

/** Served only with the matching `include_*=true` flag. */
export interface DeviceDetails {
  operating_system: OperatingSystemDetail;
  cpus: Record<string, unknown>[];
  memory: Record<string, unknown>[];
  disks: Record<string, unknown>[];
  disk_partitions: Record<string, unknown>[];
  network_interfaces: { name: string; mac_address: string; ip_addresses: string[]; [key: string]: unknown }[];
  security: SecurityItem[];
}

export interface DeviceRecord extends DeviceCoreFields {
  id: string;
  group_id: string | null;
  /** Details are derived from this seed on demand (cheap memory for 100k devices)... */
  detailSeed: number;
  /** ...unless a test set them explicitly. */
  details: Partial<DeviceDetails>;
}

export type DeviceDocument = DeviceCoreFields &
  Partial<DeviceDetails> & {
    id: string;
    group_id: string | null;
    group_name: string | null;
  };

/** Include flag names as Level spells them, minus the `include_` prefix. */
export const DEVICE_INCLUDES = [
  'operating_system',
  'cpus',
  'memory',
  'disks',
  'network_interfaces',
  'security',
] as const;
export type DeviceIncludeFlag = (typeof DEVICE_INCLUDES)[number];

/** Which detail fields each include flag adds. */
export const INCLUDE_FIELDS: Record<DeviceIncludeFlag, (keyof DeviceDetails)[]> = {
  operating_system: ['operating_system'],
  cpus: ['cpus'],
  memory: ['memory'],
  disks: ['disks', 'disk_partitions'],
  network_interfaces: ['network_interfaces'],
  security: ['security'],
};

export interface AlertRecord {
  id: string;
  device_id: string;
  name: string;
  description: string;
  payload: string | null;
  severity: AlertSeverity;
  is_resolved: boolean;
  started_at: string;
  resolved_at: string | null;
}
