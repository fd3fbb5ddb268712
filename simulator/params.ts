// Parses and validates list query parameters the way Level does: a bad `limit` or an unknown
// `status` is a 400 with `{"error": ...}`, and the literal `null` is a real filter value.
import { DEVICE_INCLUDES, DeviceIncludeFlag } from './documents';
import { PageRequest } from './paging';
import { AlertQuery, DeviceQuery, GroupQuery } from './queries';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export function parsePage(params: URLSearchParams): PageRequest {
  const startingAfter = params.get('starting_after') ?? undefined;
  const endingBefore = params.get('ending_before') ?? undefined;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw new HttpError(400, 'starting_after and ending_before cannot be used together');
  }
  return { limit: parseLimit(params.get('limit')), startingAfter, endingBefore };
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_LIMIT) {
    throw new HttpError(400, `limit must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return limit;
}

/** `null` (the literal) → null; absent → undefined. */
function nullable(params: URLSearchParams, name: string): string | null | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  return value === 'null' ? null : value;
}

function optional(params: URLSearchParams, name: string): string | undefined {
  return params.get(name) ?? undefined;
}

export function parseGroupQuery(params: URLSearchParams): GroupQuery {
  return { parentId: nullable(params, 'parent_id') };
}

export function parseIncludes(params: URLSearchParams): DeviceIncludeFlag[] {
  return DEVICE_INCLUDES.filter((flag) => params.get(`include_${flag}`) === 'true');
}

export function parseDeviceQuery(params: URLSearchParams): DeviceQuery {
  return {
    groupId: nullable(params, 'group_id'),
    ancestorGroupId: optional(params, 'ancestor_group_id'),
    hostname: optional(params, 'hostname'),
    serialNumber: optional(params, 'serial_number'),
    tagId: optional(params, 'tag_id'),
    include: parseIncludes(params),
  };
}

export function parseAlertQuery(params: URLSearchParams): AlertQuery {
  const status = optional(params, 'status');
  if (status !== undefined && status !== 'active' && status !== 'resolved') {
    throw new HttpError(400, 'status must be active or resolved');
  }
  return { status, deviceId: optional(params, 'device_id') };
}
