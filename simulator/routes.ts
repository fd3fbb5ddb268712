// Maps a request (method, decoded path segments, query) to a JSON answer from the fleet.
// Auth, faults and rate limiting happen before this, in server.ts.
import { Fleet } from './fleet';
import { HttpError, parseAlertQuery, parseDeviceQuery, parseGroupQuery, parseIncludes, parsePage } from './params';
import { listAlerts, listDevices, listGroups } from './queries';
import { SimulatorStats } from './stats';

export interface RouteRequest {
  method: string;
  /** Path segments after percent-decoding, e.g. ['v2', 'devices', 'ab/c+d']. */
  segments: string[];
  params: URLSearchParams;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });

export function route(fleet: Fleet, stats: SimulatorStats, request: RouteRequest): RouteResult {
  const [version, collection, id, action, ...rest] = request.segments;
  if (version !== 'v2' || collection === undefined || rest.length > 0) throw notFound();
  if (request.method === 'GET' && action === undefined) return getRoute(fleet, collection, id, request.params);
  if (request.method === 'POST' && collection === 'alerts' && id !== undefined && action === 'resolve') {
    return resolveRoute(fleet, stats, id);
  }
  throw notFound();
}

function getRoute(fleet: Fleet, collection: string, id: string | undefined, params: URLSearchParams): RouteResult {
  switch (collection) {
    case 'groups':
      return id === undefined
        ? ok(listGroups(fleet, parseGroupQuery(params), parsePage(params)))
        : found(fleet.groupDocument(id), 'Group');
    case 'devices':
      return id === undefined
        ? ok(listDevices(fleet, parseDeviceQuery(params), parsePage(params)))
        : found(fleet.deviceDocument(id, parseIncludes(params)), 'Device');
    case 'alerts':
      return id === undefined
        ? ok(listAlerts(fleet, parseAlertQuery(params), parsePage(params)))
        : found(fleet.alertDocument(id), 'Alert');
    default:
      throw notFound();
  }
}

function resolveRoute(fleet: Fleet, stats: SimulatorStats, id: string): RouteResult {
  if (fleet.alertDocument(id) === undefined) throw new HttpError(404, 'Alert not found');
  const alert = fleet.resolveAlert(id);
  stats.resolvedAlertIds.push(id);
  return ok(alert);
}

function found(document: unknown, kind: string): RouteResult {
  if (document === undefined) throw new HttpError(404, `${kind} not found`);
  return ok(document);
}

function notFound(): HttpError {
  return new HttpError(404, 'Not found');
}
