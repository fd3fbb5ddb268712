// Errors the API answers with, in the contract's shape:
// {"error": {"code": "<machine_code>", "message": "<human sentence>", "details": ...}}.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Dependency = 'database' | 'temporal';

/** A dependency the request needs is down; answered as 503 naming it. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    options?: { cause?: unknown },
  ) {
    super(`${dependency === 'database' ? 'The database' : 'Temporal'} is unavailable`, options);
    this.name = 'DependencyUnavailableError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
