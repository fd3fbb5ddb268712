// Real HTTP calls to the API under test.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** A client bound to one tenant's token. */
export function apiAs(baseUrl: string, token: string) {
  return {
    get: <T = any>(path: string, options: RequestOptions = {}) => call<T>(baseUrl, 'GET', path, { token, ...options }),
    post: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
      call<T>(baseUrl, 'POST', path, { token, body, ...options }),
    put: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
      call<T>(baseUrl, 'PUT', path, { token, body, ...options }),
    patch: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
      call<T>(baseUrl, 'PATCH', path, { token, body, ...options }),
    delete: <T = any>(path: string, options: RequestOptions = {}) =>
      call<T>(baseUrl, 'DELETE', path, { token, ...options }),
  };
}

/** Every item of a paginated list, following nextCursor (`limit` a page, 500 unless said). */
export async function allItems<T = any>(api: ReturnType<typeof apiAs>, path: string, limit = 500): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api.get(
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`GET ${path}: HTTP ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...(page.body.items as T[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor !== null);
  return items;
}

/** The field names a 400 answer's details list. */
export function errorFields(response: { body: any }): string[] {
  return (response.body.error.details.fields as Array<{ field: string }>).map((f) => f.field);
}

/** A server on a free loopback port (a Koa app, or anything with `listen`), and how to close it. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(app: { listen(port: number, host: string): Server }): Promise<ServedApp> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
