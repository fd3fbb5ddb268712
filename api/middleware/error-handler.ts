// The one error middleware: every failure leaves in the contract's error shape, with no stack
// trace and nothing from the request body (which may hold a secret).
import type { Context, Next } from 'koa';
import { isGrpcServiceError } from '@temporalio/client';
import type { Logger } from '../../config/logger';
import { isConnectionLost } from '../../db/connection-lost';
import { SecretUnreadableError } from '../../security/secret-box';
import { ApiError, DependencyUnavailableError, type Dependency } from '../errors';

export function errorHandler(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError(404, 'not_found', 'No such endpoint');
    } catch (err) {
      const error = toApiError(err);
      if (error.status >= 500)
        logger.error({ err: describe(err), method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = error.status;
      ctx.body = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      };
    }
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const dependency = unavailableDependency(err);
  if (dependency)
    return new ApiError(503, `${dependency}_unavailable`, new DependencyUnavailableError(dependency).message);
  const status = httpStatusOf(err);
  if (status === 413) return new ApiError(413, 'payload_too_large', 'Request body is too large');
  if (status === 415)
    return new ApiError(415, 'unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)');
  if (status === 400) return new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
  // A stored secret that does not open here (moved, or sealed under a key this process lacks).
  if (err instanceof SecretUnreadableError)
    return new ApiError(500, 'secret_unreadable', `${err.message}; save it again`);
  return new ApiError(500, 'internal_error', 'Internal server error');
}

function httpStatusOf(err: unknown): number | undefined {
  const candidate = (err as { status?: unknown; statusCode?: unknown } | null) ?? {};
  const status = candidate.status ?? candidate.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4): the Temporal frontend did not answer. */
const UNAVAILABLE_GRPC_CODES = new Set<number>([14, 4]);

function unavailableDependency(err: unknown): Dependency | undefined {
  if (err instanceof DependencyUnavailableError) return err.dependency;
  if (isGrpcServiceError(err) && UNAVAILABLE_GRPC_CODES.has(err.code)) return 'temporal';
  const name = (err as Error | null)?.name ?? '';
  if (name === 'TransportError') return 'temporal';
  // Refused, cut under a query (pg's error has no code then), or no pooled connection in time.
  if (isConnectionLost(err)) return 'database';
  return undefined;
}

/** What we log about an unexpected error: its kind and message, never request data. */
function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: typeof err, message: String(err) };
}
