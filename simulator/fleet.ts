// The simulator's mutable model of one Level account: groups, devices, alerts and tags, with the
// indexes the HTTP server needs to answer list queries without scanning. Tests mutate it
// directly to model a living fleet (renames, moves, deletions, alerts opening and resolving);
// the next HTTP response reflects the change.
import { defaultDeviceFields } from './device-defaults';
import { deviceDetails } from './device-details';
import {
  AlertRecord,
  AlertSeverity,
  DeviceCoreFields,
  DeviceDetails,
  DeviceDocument,
  DeviceIncludeFlag,
  DeviceRecord,
  GroupDocument,
  GroupRecord,
  INCLUDE_FIELDS,
} from './documents';
import { IdFactory, IdKind, IdStyle } from './ids';
import { Prng } from './prng';
import { SubtreeCache } from './subtree-cache';
import { addToIndex, EMPTY_IDS, removeFromIndex, SmallListIndex, SortedIdSet } from './sorted-ids';

export interface FleetOptions {
  /** Seeds ids and default device fields. Default 1. */
  seed?: number;
  idStyle?: IdStyle;
  /** Clock for resolve/reopen timestamps. */
  now?: () => Date;
}

export interface AddGroupInput {
  id?: string;
  name: string;
  parentId?: string | null;
}

export type DevicePatch = Partial<DeviceCoreFields> & {
  /** Moves the device; `null` makes it ungrouped. */
  groupId?: string | null;
  /** Overrides derived detail arrays. */
  details?: Partial<DeviceDetails>;
};

export type AddDeviceInput = DevicePatch & { id?: string };

export interface AddAlertInput {
  id?: string;
  deviceId: string;
  name?: string;
  description?: string;
  payload?: string | null;
  severity?: AlertSeverity;
  startedAt?: string;
  /** Set to create the alert already resolved. */
  resolvedAt?: string | null;
}

export interface DeleteGroupOptions {
  /** Delete the whole subtree and its devices; otherwise children and devices move to the parent. */
  cascade?: boolean;
}

export class Fleet {
  readonly prng: Prng;
  private readonly ids: IdFactory;
  private readonly now: () => Date;
  private readonly groups = new Map<string, GroupRecord>();
  private readonly groupIds = new SortedIdSet();
  private readonly children = new Map<string | null, SortedIdSet>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly deviceIds = new SortedIdSet();
  private readonly devicesByGroup = new Map<string | null, SortedIdSet>();
  private readonly devicesByHostname = new SmallListIndex();
  private readonly devicesBySerial = new SmallListIndex();
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly alertIds = new SortedIdSet();
  private readonly alertsByDevice = new Map<string, SortedIdSet>();
  private readonly tagIdsByName = new Map<string, string>();
  private readonly tagNamesById = new Map<string, string>();
  private readonly subtrees: SubtreeCache;
  private deviceSequence = 0;

  constructor(options: FleetOptions = {}) {
    this.prng = new Prng(options.seed ?? 1);
    this.ids = new IdFactory(this.prng, options.idStyle);
    this.now = options.now ?? (() => new Date());
    this.subtrees = new SubtreeCache({
      childIds: (id) => this.children.get(id)?.sorted() ?? EMPTY_IDS,
      directDeviceIds: (id) => this.devicesByGroup.get(id)?.sorted() ?? EMPTY_IDS,
    });
  }

  get groupCount(): number {
    return this.groups.size;
  }

  get deviceCount(): number {
    return this.devices.size;
  }

  get alertCount(): number {
    return this.alerts.size;
  }

  // ---- groups ---------------------------------------------------------------------------

  addGroup(input: AddGroupInput): GroupDocument {
    const parentId = input.parentId ?? null;
    if (parentId !== null) this.requireGroup(parentId);
    const id = this.claimId(input.id, 'Group', this.groups);
    this.groups.set(id, { id, name: input.name, parent_id: parentId });
    this.groupIds.add(id);
    addToIndex(this.children, parentId, id);
    this.subtrees.invalidate();
    return this.groupDocument(id) as GroupDocument;
  }

  renameGroup(id: string, name: string): void {
    this.requireGroup(id).name = name;
  }

  moveGroup(id: string, parentId: string | null): void {
    const group = this.requireGroup(id);
    if (parentId !== null) {
      this.requireGroup(parentId);
      if (this.isInSubtree(parentId, id)) throw new Error(`Cannot move group ${id} under its own subtree`);
    }
    removeFromIndex(this.children, group.parent_id, id);
    group.parent_id = parentId;
    addToIndex(this.children, parentId, id);
    this.subtrees.invalidate();
  }

  deleteGroup(id: string, options: DeleteGroupOptions = {}): void {
    const group = this.requireGroup(id);
    if (options.cascade) {
      for (const groupId of this.subtrees.subtreeGroupIds(id).reverse()) {
        for (const deviceId of this.sortedDeviceIdsInGroup(groupId)) this.deleteDevice(deviceId);
        this.removeGroupRecord(groupId);
      }
    } else {
      for (const childId of [...this.sortedGroupIds(id)]) this.moveGroup(childId, group.parent_id);
      for (const deviceId of [...this.sortedDeviceIdsInGroup(id)]) this.moveDevice(deviceId, group.parent_id);
      this.removeGroupRecord(id);
    }
    this.subtrees.invalidate();
  }

  private removeGroupRecord(id: string): void {
    const group = this.requireGroup(id);
    removeFromIndex(this.children, group.parent_id, id);
    this.groups.delete(id);
    this.groupIds.delete(id);
  }

  hasGroup(id: string): boolean {
    return this.groups.has(id);
  }

  /** The group as Level serves it, counts and child ids derived now. */
  groupDocument(id: string): GroupDocument | undefined {
    const group = this.groups.get(id);
    if (!group) return undefined;
    return {
      ...group,
      child_ids: [...this.sortedGroupIds(id)],
      device_count: this.devicesByGroup.get(id)?.size ?? 0,
      descendent_device_count: this.subtrees.descendentDeviceCount(id),
    };
  }

  /** All groups (no argument), root groups (`null`) or the children of one group, by id. */
  sortedGroupIds(parentId?: string | null): readonly string[] {
    if (parentId === undefined) return this.groupIds.sorted();
    return this.children.get(parentId)?.sorted() ?? EMPTY_IDS;
  }

  /** True when `groupId` is `ancestorId` or lies below it. */
  isInSubtree(groupId: string | null, ancestorId: string): boolean {
    for (let current = groupId; current !== null; current = this.groups.get(current)?.parent_id ?? null) {
      if (current === ancestorId) return true;
    }
    return false;
  }

  // ---- devices --------------------------------------------------------------------------

  addDevice(input: AddDeviceInput = {}): DeviceDocument {
    return this.deviceDocument(this.insertDevice(input)) as DeviceDocument;
  }

  /** Like addDevice but returns only the id: the generator's bulk path, no document copy. */
  insertDevice(input: AddDeviceInput = {}): string {
    const groupId = input.groupId ?? null;
    if (groupId !== null) this.requireGroup(groupId);
    const id = this.claimId(input.id, 'Device', this.devices);
    this.deviceSequence += 1;
    const { groupId: _groupId, details, id: _id, ...fields } = input;
    const core = withOverrides(defaultDeviceFields(this.prng, this.deviceSequence), fields);
    const record: DeviceRecord = Object.assign(core, {
      id,
      group_id: groupId,
      detailSeed: this.prng.seed(),
      details: details ?? {},
    });
    this.devices.set(id, record);
    this.deviceIds.add(id);
    this.indexDevice(record);
    return id;
  }

  updateDevice(id: string, patch: DevicePatch): void {
    const device = this.requireDevice(id);
    const { groupId, details, ...fields } = patch;
    this.unindexDevice(device);
    Object.assign(device, fields);
    if (details) device.details = { ...device.details, ...details };
    if (groupId !== undefined) {
      if (groupId !== null) this.requireGroup(groupId);
      device.group_id = groupId;
    }
    this.indexDevice(device);
  }

  moveDevice(id: string, groupId: string | null): void {
    this.updateDevice(id, { groupId });
  }

  /** Removes the device and its alerts. */
  deleteDevice(id: string): void {
    const device = this.requireDevice(id);
    for (const alertId of [...this.sortedAlertIdsForDevice(id)]) this.deleteAlert(alertId);
    this.unindexDevice(device);
    this.devices.delete(id);
    this.deviceIds.delete(id);
  }

  /**
   * The machine re-enrolled (its Level agent reinstalled, say after a re-image): Level forgets the
   * old id and its alerts, and the same machine appears under a new id (`newId`, or a fresh one)
   * with its serial number, hostname, group and hardware. Returns the new device.
   */
  reenrollDevice(id: string, newId?: string): DeviceDocument {
    const { id: _id, group_id: groupId, detailSeed, details, ...fields } = this.requireDevice(id);
    this.deleteDevice(id);
    const document = this.addDevice({ ...fields, tags: [...fields.tags], id: newId, groupId, details: { ...details } });
    this.requireDevice(document.id).detailSeed = detailSeed; // the same disks, CPUs and interfaces
    return document;
  }

  hasDevice(id: string): boolean {
    return this.devices.has(id);
  }

  /** The stored record (mutable fields; use `updateDevice` to change it so indexes follow). */
  device(id: string): Readonly<DeviceRecord> | undefined {
    return this.devices.get(id);
  }

  /** The device as Level serves it; detail fields only for the given include flags. */
  deviceDocument(id: string, include: readonly DeviceIncludeFlag[] = []): DeviceDocument | undefined {
    const device = this.devices.get(id);
    if (!device) return undefined;
    const { detailSeed: _seed, details: _details, id: _id, ...core } = device;
    const document: DeviceDocument = {
      id, // first, as Level lists it, for readable output
      ...core,
      tags: [...core.tags],
      group_name: core.group_id === null ? null : (this.groups.get(core.group_id)?.name ?? null),
    };
    if (include.length === 0) return document;
    const details = deviceDetails(device);
    for (const flag of include)
      for (const field of INCLUDE_FIELDS[flag]) Object.assign(document, { [field]: details[field] });
    return document;
  }

  sortedDeviceIds(): readonly string[] {
    return this.deviceIds.sorted();
  }

  /** Direct members of a group, or ungrouped devices for `null`. */
  sortedDeviceIdsInGroup(groupId: string | null): readonly string[] {
    return this.devicesByGroup.get(groupId)?.sorted() ?? EMPTY_IDS;
  }

  /** Devices of the group and all its descendants. */
  sortedSubtreeDeviceIds(groupId: string): readonly string[] {
    return this.groups.has(groupId) ? this.subtrees.subtreeDeviceIds(groupId) : EMPTY_IDS;
  }

  /** Level matches hostnames case-insensitively (assumed); serial numbers exactly. */
  sortedDeviceIdsByHostname(hostname: string): readonly string[] {
    return this.devicesByHostname.sorted(hostname.toLowerCase());
  }

  sortedDeviceIdsBySerial(serialNumber: string): readonly string[] {
    return this.devicesBySerial.sorted(serialNumber);
  }

  private indexDevice(device: DeviceRecord): void {
    addToIndex(this.devicesByGroup, device.group_id, device.id);
    this.devicesByHostname.add(device.hostname.toLowerCase(), device.id);
    this.devicesBySerial.add(device.serial_number, device.id);
    for (const tag of device.tags) this.tagIdFor(tag);
    this.subtrees.invalidate();
  }

  private unindexDevice(device: DeviceRecord): void {
    removeFromIndex(this.devicesByGroup, device.group_id, device.id);
    this.devicesByHostname.delete(device.hostname.toLowerCase(), device.id);
    this.devicesBySerial.delete(device.serial_number, device.id);
    this.subtrees.invalidate();
  }

  // ---- tags -----------------------------------------------------------------------------

  /** Devices carry tag names; the `tag_id` filter needs ids, registered on first use. */
  tagIdFor(name: string): string {
    let id = this.tagIdsByName.get(name);
    if (id === undefined) {
      id = this.claimId(undefined, 'Tag', this.tagNamesById);
      this.tagIdsByName.set(name, id);
      this.tagNamesById.set(id, name);
    }
    return id;
  }

  tagName(tagId: string): string | undefined {
    return this.tagNamesById.get(tagId);
  }

  listTags(): { id: string; name: string }[] {
    return [...this.tagNamesById].map(([id, name]) => ({ id, name }));
  }

  // ---- alerts ---------------------------------------------------------------------------

  addAlert(input: AddAlertInput): AlertRecord {
    this.requireDevice(input.deviceId);
    const id = this.claimId(input.id, 'Alert', this.alerts);
    const resolvedAt = input.resolvedAt ?? null;
    const record: AlertRecord = {
      id,
      device_id: input.deviceId,
      name: input.name ?? 'CPU usage above 90%',
      description: input.description ?? 'CPU usage has been above 90% for 15 minutes',
      payload: input.payload ?? null,
      severity: input.severity ?? 'warning',
      is_resolved: resolvedAt !== null,
      started_at: input.startedAt ?? this.now().toISOString(),
      resolved_at: resolvedAt,
    };
    this.alerts.set(id, record);
    this.alertIds.add(id);
    addToIndex(this.alertsByDevice, record.device_id, id);
    return { ...record };
  }

  resolveAlert(id: string, at: Date = this.now()): AlertRecord {
    const alert = this.requireAlert(id);
    if (!alert.is_resolved) {
      alert.is_resolved = true;
      alert.resolved_at = at.toISOString();
    }
    return { ...alert };
  }

  /** A resolved alert becomes active again under the same id, as Level does. */
  reopenAlert(id: string): AlertRecord {
    const alert = this.requireAlert(id);
    alert.is_resolved = false;
    alert.resolved_at = null;
    return { ...alert };
  }

  deleteAlert(id: string): void {
    const alert = this.requireAlert(id);
    removeFromIndex(this.alertsByDevice, alert.device_id, id);
    this.alerts.delete(id);
    this.alertIds.delete(id);
  }

  alertDocument(id: string): AlertRecord | undefined {
    const alert = this.alerts.get(id);
    return alert ? { ...alert } : undefined;
  }

  sortedAlertIds(): readonly string[] {
    return this.alertIds.sorted();
  }

  sortedAlertIdsForDevice(deviceId: string): readonly string[] {
    return this.alertsByDevice.get(deviceId)?.sorted() ?? EMPTY_IDS;
  }

  // ---- helpers --------------------------------------------------------------------------

  /** Uses the caller's id (must be unused) or mints a fresh one. */
  private claimId(requested: string | undefined, kind: IdKind, existing: Map<string, unknown>): string {
    if (requested !== undefined) {
      if (requested === '' || existing.has(requested))
        throw new Error(`${kind} id ${JSON.stringify(requested)} is empty or taken`);
      return requested;
    }
    for (;;) {
      const id = this.ids.next(kind);
      if (!existing.has(id)) return id;
    }
  }

  private requireGroup(id: string): GroupRecord {
    const group = this.groups.get(id);
    if (!group) throw new Error(`Unknown group ${id}`);
    return group;
  }

  private requireDevice(id: string): DeviceRecord {
    const device = this.devices.get(id);
    if (!device) throw new Error(`Unknown device ${id}`);
    return device;
  }

  private requireAlert(id: string): AlertRecord {
    const alert = this.alerts.get(id);
    if (!alert) throw new Error(`Unknown alert ${id}`);
    return alert;
  }
}

/**
 * Copies the defined overrides onto `base` in place. Spreading two 20-field objects into a new
 * one pushes V8 into slow dictionary objects, which made a 100k-device fleet several times
 * bigger and slower to build; assigning into the existing object keeps its fast shape.
 */
function withOverrides<T extends object>(base: T, overrides: Partial<T>): T {
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) Object.assign(base, { [key]: value });
  }
  return base;
}
