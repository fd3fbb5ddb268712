// Calls to the service's /api/v1 with the session's bearer token. Errors arrive in the
// contract's shape; a 401 from any call ends the session (the app returns to sign-in).
import { session } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Problems per field path (e.g. "conditions.pattern"), from a 400's details. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedHandler = (message: string) => void;
let onUnauthorized: UnauthorizedHandler = () => undefined;

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

/** `signingIn`: a 401 is the answer to the token being tried, not the end of a session. */
export async function api<T>(method: string, path: string, body?: unknown, signingIn = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const payload: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (response.ok) return payload as T;
  const error = toApiError(response.status, payload);
  if (response.status === 401 && !signingIn) {
    session.clear();
    onUnauthorized('Your session ended (the token is missing, unknown or revoked). Sign in again.');
  }
  throw error;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (
    payload as
      | {
          error?: { code?: string; message?: string; details?: { fields?: Array<{ field: string; message: string }> } };
        }
      | undefined
  )?.error;
  const fields: Record<string, string> = {};
  for (const problem of error?.details?.fields ?? []) {
    fields[problem.field] = fields[problem.field] ? `${fields[problem.field]}; ${problem.message}` : problem.message;
  }
  return new ApiError(status, error?.code ?? 'http_error', error?.message ?? `The service answered ${status}`, fields);
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body);
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
