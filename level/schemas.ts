// Lenient zod schemas for Level's documents.
//
// Approach: the client hands out Level's raw documents (snake_case, exactly as received) after a
// lenient validation. Only `id` is required. Every documented field is typed (nullable where
// level-api.md says so) but optional, and a field of an unexpected type is replaced by
// `undefined` instead of failing the page: much of Level's API is observed rather than
// documented, and one odd field must not stop a sync of thousands of devices. Unknown fields are
// kept (loose objects), so callers can store the raw document for anything not modelled here.
import { z } from 'zod';

/** Optional, and tolerant: a value of the wrong type becomes undefined. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

const str = () => lenient(z.string());
const nullableStr = () => lenient(z.string().nullable());
const num = () => lenient(z.number().nullable());
const bool = () => lenient(z.boolean().nullable());
/** Detail arrays: items are kept as loose objects with their known fields typed. */
const looseArray = <T extends z.ZodType>(item: T) => lenient(z.array(item));

export const levelGroupSchema = z.looseObject({
  id: z.string().min(1),
  name: str(),
  parent_id: nullableStr(),
  child_ids: lenient(z.array(z.string())),
  device_count: num(),
  /** Spelled this way by Level. */
  descendent_device_count: num(),
});

export const levelOperatingSystemSchema = z.looseObject({
  full_operating_system: nullableStr(),
  major_version: lenient(z.union([z.string(), z.number()]).nullable()),
  minor_version: lenient(z.union([z.string(), z.number()]).nullable()),
  architecture: nullableStr(),
  install_date: nullableStr(),
  end_of_life: nullableStr(),
});

export const levelNetworkInterfaceSchema = z.looseObject({
  name: nullableStr(),
  mac_address: nullableStr(),
  ip_addresses: lenient(z.array(z.string())),
});

export const levelDeviceSchema = z.looseObject({
  id: z.string().min(1),
  hostname: str(),
  nickname: nullableStr(),
  role: lenient(z.enum(['workstation', 'server', 'domain_controller']).nullable()),
  group_id: nullableStr(),
  group_name: nullableStr(),
  tags: lenient(z.array(z.string())),
  flag: lenient(z.union([z.boolean(), z.string()]).nullable()),
  maintenance_mode: bool(),
  online: bool(),
  notes: nullableStr(),
  /** Documented values are Windows, Mac and Linux; kept as a string to tolerate others. */
  platform: nullableStr(),
  manufacturer: nullableStr(),
  model: nullableStr(),
  architecture: nullableStr(),
  serial_number: nullableStr(),
  total_memory: num(),
  cpu_cores: num(),
  last_logged_in_user: nullableStr(),
  last_reboot_time: nullableStr(),
  last_seen_at: nullableStr(),
  city: nullableStr(),
  country: nullableStr(),
  security_score: num(),
  public_ip_address: nullableStr(),
  operating_system: lenient(levelOperatingSystemSchema.nullable()),
  cpus: looseArray(z.looseObject({})),
  memory: looseArray(z.looseObject({})),
  disks: looseArray(z.looseObject({})),
  disk_partitions: looseArray(z.looseObject({})),
  network_interfaces: looseArray(levelNetworkInterfaceSchema),
  security: lenient(z.union([z.array(z.looseObject({})), z.looseObject({})]).nullable()),
});

export const levelAlertSchema = z.looseObject({
  id: z.string().min(1),
  device_id: nullableStr(),
  name: str(),
  description: nullableStr(),
  payload: nullableStr(),
  severity: lenient(z.enum(['information', 'warning', 'critical', 'emergency'])),
  is_resolved: bool(),
  started_at: nullableStr(),
  resolved_at: nullableStr(),
});

export type LevelGroup = z.infer<typeof levelGroupSchema>;
export type LevelDevice = z.infer<typeof levelDeviceSchema>;
export type LevelAlert = z.infer<typeof levelAlertSchema>;
export type LevelOperatingSystem = z.infer<typeof levelOperatingSystemSchema>;
export type LevelNetworkInterface = z.infer<typeof levelNetworkInterfaceSchema>;

/** A list response: `has_more` drives pagination, so it is required. */
export function levelListSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: z.array(item), has_more: z.boolean() });
}
