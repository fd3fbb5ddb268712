// List queries with Level's filters. Each query starts from the narrowest index the filters
// allow (hostname, serial, group, subtree) and checks the remaining filters per item while
// paging, so a page costs about `limit` item checks rather than a scan of the fleet.
import { AlertRecord, DeviceDocument, DeviceIncludeFlag, GroupDocument } from './documents';
import { Fleet } from './fleet';
import { PageRequest, pageOfIds } from './paging';

export interface ListResult<T> {
  data: T[];
  has_more: boolean;
}

/** `null` means the literal `null` was sent (roots / ungrouped); undefined means no filter. */
export interface GroupQuery {
  parentId?: string | null;
}

export interface DeviceQuery {
  groupId?: string | null;
  ancestorGroupId?: string;
  hostname?: string;
  serialNumber?: string;
  tagId?: string;
  include: DeviceIncludeFlag[];
}

export interface AlertQuery {
  status?: 'active' | 'resolved';
  deviceId?: string;
}

export function listGroups(fleet: Fleet, query: GroupQuery, page: PageRequest): ListResult<GroupDocument> {
  const { ids, hasMore } = pageOfIds(fleet.sortedGroupIds(query.parentId), page);
  return { data: ids.map((id) => fleet.groupDocument(id) as GroupDocument), has_more: hasMore };
}

export function listDevices(fleet: Fleet, query: DeviceQuery, page: PageRequest): ListResult<DeviceDocument> {
  const tagName = query.tagId === undefined ? undefined : fleet.tagName(query.tagId);
  if (query.tagId !== undefined && tagName === undefined) return { data: [], has_more: false };
  const { ids, hasMore } = pageOfIds(deviceCandidates(fleet, query), page, (id) =>
    deviceMatches(fleet, id, query, tagName),
  );
  return { data: ids.map((id) => fleet.deviceDocument(id, query.include) as DeviceDocument), has_more: hasMore };
}

/** The smallest sorted id list guaranteed to contain every match. */
function deviceCandidates(fleet: Fleet, query: DeviceQuery): readonly string[] {
  if (query.hostname !== undefined) return fleet.sortedDeviceIdsByHostname(query.hostname);
  if (query.serialNumber !== undefined) return fleet.sortedDeviceIdsBySerial(query.serialNumber);
  if (query.groupId !== undefined) return fleet.sortedDeviceIdsInGroup(query.groupId);
  if (query.ancestorGroupId !== undefined) return fleet.sortedSubtreeDeviceIds(query.ancestorGroupId);
  return fleet.sortedDeviceIds();
}

/** Every filter, checked per candidate (the candidate list already satisfies one of them). */
function deviceMatches(fleet: Fleet, id: string, query: DeviceQuery, tagName: string | undefined): boolean {
  const device = fleet.device(id);
  if (!device) return false;
  if (query.hostname !== undefined && device.hostname.toLowerCase() !== query.hostname.toLowerCase()) return false;
  if (query.serialNumber !== undefined && device.serial_number !== query.serialNumber) return false;
  if (query.groupId !== undefined && device.group_id !== query.groupId) return false;
  if (query.ancestorGroupId !== undefined && !fleet.isInSubtree(device.group_id, query.ancestorGroupId)) return false;
  return tagName === undefined || device.tags.includes(tagName);
}

export function listAlerts(fleet: Fleet, query: AlertQuery, page: PageRequest): ListResult<AlertRecord> {
  const candidates =
    query.deviceId === undefined ? fleet.sortedAlertIds() : fleet.sortedAlertIdsForDevice(query.deviceId);
  const wantResolved = query.status === undefined ? undefined : query.status === 'resolved';
  const accept = (id: string) => wantResolved === undefined || fleet.alertDocument(id)?.is_resolved === wantResolved;
  const { ids, hasMore } = pageOfIds(candidates, page, accept);
  return { data: ids.map((id) => fleet.alertDocument(id) as AlertRecord), has_more: hasMore };
}
