// Builds Level query strings and paths. Ids are opaque base64 and may contain `/` and `+`, so
// they are always percent-encoded (URLSearchParams encodes `+` and `/` in values too).

export type DeviceInclude = 'operating_system' | 'cpus' | 'memory' | 'disks' | 'network_interfaces' | 'security';

/** Level's maximum page size; the client always asks for full pages to save budget. */
export const MAX_PAGE_SIZE = 100;

export function encodeId(id: string): string {
  return encodeURIComponent(id);
}

/** `null` is a meaningful filter value for Level (roots / ungrouped): sent as the literal `null`. */
export function setFilter(query: URLSearchParams, name: string, value: string | null | undefined): void {
  if (value === undefined) return;
  query.set(name, value === null ? 'null' : value);
}

export function pageQuery(startingAfter: string | undefined, limit: number | undefined): URLSearchParams {
  const query = new URLSearchParams();
  query.set('limit', String(limit ?? MAX_PAGE_SIZE));
  setFilter(query, 'starting_after', startingAfter);
  return query;
}

export function setIncludes(query: URLSearchParams, include: readonly DeviceInclude[] | undefined): void {
  for (const name of include ?? []) query.set(`include_${name}`, 'true');
}
