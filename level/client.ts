// HTTP client for Level's REST API v2 (see shared/spec/level-api.md).
//
// Results are Level's raw documents (snake_case fields exactly as Level sent them, unknown fields
// kept) after lenient validation, see schemas.ts. Only the page envelope is camelCased:
// `{ data, hasMore, nextCursor }`. Transport concerns (auth header, budget, retries, error
// typing) live in transport.ts; this file only maps methods to endpoints.
import { z } from 'zod';
import { LevelBadResponseError } from './errors';
import type { LevelHostPolicy } from './host-policy';
import { DEFAULT_MAX_PAGES, LevelPage, paginate, toPage } from './pagination';
import { DeviceInclude, encodeId, pageQuery, setFilter, setIncludes } from './query';
import { RequestBudget } from './request-budget';
import {
  LevelAlert,
  levelAlertSchema,
  LevelDevice,
  levelDeviceSchema,
  LevelGroup,
  levelGroupSchema,
  levelListSchema,
} from './schemas';
import { FetchImpl, LevelTransport, TransportRequest } from './transport';

export type { DeviceInclude } from './query';
export type { LevelPage } from './pagination';

export interface LevelClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per HTTP attempt, body included. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 5xx, network, bad-response and 429. Default 4. */
  maxRetries?: number;
  /** First backoff step; doubles per retry, jittered, capped at 30 s. Default 250. */
  retryBaseDelayMs?: number;
  /** Upper bound on an honoured Retry-After. Default 60000. */
  maxRetryAfterMs?: number;
  /** Awaited before every HTTP request, retries included. */
  budget?: RequestBudget;
  /** Runaway guard for iterate*(). Default 100000 pages. */
  maxPages?: number;
  /** Where requests may go (LEVEL_ALLOWED_HOSTS); absent: anywhere (tools and tests only). */
  hostPolicy?: LevelHostPolicy;
  /** Answers larger than this fail with `response_too_large`. Default 10 MiB. */
  maxResponseBytes?: number;
  fetchImpl?: FetchImpl;
}

export interface PageParams {
  /** Id of the last item already seen (a page's `nextCursor`). */
  startingAfter?: string;
  /** 1–100; default 100. */
  limit?: number;
}

export interface GroupFilters {
  /** `null` lists root groups. */
  parentId?: string | null;
}

export interface DeviceFilters {
  /** Direct members only; `null` lists ungrouped devices. */
  groupId?: string | null;
  /** The whole subtree, the group itself included. */
  ancestorGroupId?: string;
  hostname?: string;
  serialNumber?: string;
  tagId?: string;
  include?: DeviceInclude[];
}

export interface AlertFilters {
  status?: 'active' | 'resolved';
  deviceId?: string;
}

/** Where an iteration starts: resume after a checkpointed cursor. */
export interface IterateOptions {
  startingAfter?: string;
}

export interface LevelClient {
  /** HTTP requests sent so far by this client, retries included. */
  readonly requestCount: number;
  listGroupsPage(params?: GroupFilters & PageParams): Promise<LevelPage<LevelGroup>>;
  iterateGroups(filters?: GroupFilters, options?: IterateOptions): AsyncGenerator<LevelGroup, void, undefined>;
  getGroup(id: string): Promise<LevelGroup>;
  listDevicesPage(params?: DeviceFilters & PageParams): Promise<LevelPage<LevelDevice>>;
  iterateDevices(filters?: DeviceFilters, options?: IterateOptions): AsyncGenerator<LevelDevice, void, undefined>;
  getDevice(id: string, include?: DeviceInclude[]): Promise<LevelDevice>;
  listAlertsPage(params?: AlertFilters & PageParams): Promise<LevelPage<LevelAlert>>;
  iterateAlerts(filters?: AlertFilters, options?: IterateOptions): AsyncGenerator<LevelAlert, void, undefined>;
  getAlert(id: string): Promise<LevelAlert>;
  /** POST /v2/alerts/{id}/resolve; returns the alert when Level sends it back, else null. */
  resolveAlert(id: string): Promise<LevelAlert | null>;
}

export function createLevelClient(options: LevelClientOptions): LevelClient {
  const transport = new LevelTransport({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 4,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 250,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    budget: options.budget,
    hostPolicy: options.hostPolicy,
    maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
    fetchImpl: options.fetchImpl,
  });
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const listGroupsPage = (params: GroupFilters & PageParams = {}) =>
    fetchList(transport, '/v2/groups', groupQuery(params), levelGroupSchema);
  const listDevicesPage = (params: DeviceFilters & PageParams = {}) =>
    fetchList(transport, '/v2/devices', deviceQuery(params), levelDeviceSchema);
  const listAlertsPage = (params: AlertFilters & PageParams = {}) =>
    fetchList(transport, '/v2/alerts', alertQuery(params), levelAlertSchema);

  return {
    get requestCount() {
      return transport.requestCount;
    },
    listGroupsPage,
    iterateGroups: (filters = {}, from = {}) =>
      paginate((startingAfter) => listGroupsPage({ ...filters, startingAfter }), { maxPages, ...from }),
    getGroup: (id) =>
      fetchOne(transport, `/v2/groups/${encodeId(id)}`, undefined, levelGroupSchema, `group with id ${id}`),
    listDevicesPage,
    iterateDevices: (filters = {}, from = {}) =>
      paginate((startingAfter) => listDevicesPage({ ...filters, startingAfter }), { maxPages, ...from }),
    getDevice: (id, include) => {
      const query = new URLSearchParams();
      setIncludes(query, include);
      return fetchOne(transport, `/v2/devices/${encodeId(id)}`, query, levelDeviceSchema, `device with id ${id}`);
    },
    listAlertsPage,
    iterateAlerts: (filters = {}, from = {}) =>
      paginate((startingAfter) => listAlertsPage({ ...filters, startingAfter }), { maxPages, ...from }),
    getAlert: (id) =>
      fetchOne(transport, `/v2/alerts/${encodeId(id)}`, undefined, levelAlertSchema, `alert with id ${id}`),
    resolveAlert: (id) => resolve(transport, id),
  };
}

function groupQuery(params: GroupFilters & PageParams): URLSearchParams {
  const query = pageQuery(params.startingAfter, params.limit);
  setFilter(query, 'parent_id', params.parentId);
  return query;
}

function deviceQuery(params: DeviceFilters & PageParams): URLSearchParams {
  const query = pageQuery(params.startingAfter, params.limit);
  setFilter(query, 'group_id', params.groupId);
  setFilter(query, 'ancestor_group_id', params.ancestorGroupId);
  setFilter(query, 'hostname', params.hostname);
  setFilter(query, 'serial_number', params.serialNumber);
  setFilter(query, 'tag_id', params.tagId);
  setIncludes(query, params.include);
  return query;
}

function alertQuery(params: AlertFilters & PageParams): URLSearchParams {
  const query = pageQuery(params.startingAfter, params.limit);
  setFilter(query, 'status', params.status);
  setFilter(query, 'device_id', params.deviceId);
  return query;
}

async function fetchList<S extends z.ZodType<{ id: string }>>(
  transport: LevelTransport,
  path: string,
  query: URLSearchParams,
  item: S,
): Promise<LevelPage<z.infer<S>>> {
  const request: TransportRequest = { method: 'GET', path, query, notFound: `resource at ${path}` };
  const body = await transport.send(request, (raw, status) => validate(levelListSchema(item), raw, status));
  return toPage(body.data, body.has_more);
}

async function fetchOne<S extends z.ZodType>(
  transport: LevelTransport,
  path: string,
  query: URLSearchParams | undefined,
  schema: S,
  notFound: string,
): Promise<z.infer<S>> {
  return transport.send({ method: 'GET', path, query, notFound }, (raw, status) =>
    validate(schema, unwrapData(raw), status),
  );
}

async function resolve(transport: LevelTransport, id: string): Promise<LevelAlert | null> {
  const request: TransportRequest = {
    method: 'POST',
    path: `/v2/alerts/${encodeId(id)}/resolve`,
    notFound: `alert with id ${id}`,
  };
  // The resolve endpoint is unconfirmed: accept an empty body, the alert, or `{data: alert}`.
  return transport.send(request, (raw) => {
    const parsed = levelAlertSchema.safeParse(unwrapData(raw));
    return parsed.success ? parsed.data : null;
  });
}

/** Some APIs wrap single resources in `{data: ...}`; accept both shapes. */
function unwrapData(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && !('id' in raw) && 'data' in raw) return raw.data;
  return raw;
}

function validate<S extends z.ZodType>(schema: S, raw: unknown, status: number): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  // Only the path and zod's generic text are quoted, never the received values.
  throw new LevelBadResponseError(
    `Level answered with an unexpected body shape (HTTP ${status})${where}: ${issue?.message ?? 'invalid'}`,
    status,
  );
}
