// Which kind of failure (see domain/inbox-retry.ts) a signalWithStart error is: Temporal away,
// Temporal refusing this very delivery, or a failure of this delivery alone.
import { isGrpcServiceError } from '@temporalio/client';
import type { FailureKind } from '../domain/inbox-retry';

/**
 * gRPC codes that say the service (or our way to it) is away, so every row would fail alike:
 * CANCELLED 1, DEADLINE_EXCEEDED 4, NOT_FOUND 5 (namespace), PERMISSION_DENIED 7,
 * RESOURCE_EXHAUSTED 8, ABORTED 10, UNAVAILABLE 14, UNAUTHENTICATED 16.
 */
const UNAVAILABLE_CODES = new Set<number>([1, 4, 5, 7, 8, 10, 14, 16]);
/** Codes that refuse the request itself, so sending it again cannot succeed: INVALID_ARGUMENT 3, OUT_OF_RANGE 11. */
const REFUSED_CODES = new Set<number>([3, 11]);
/** Local errors converting the row's data into Temporal payloads. */
const REFUSED_NAMES = new Set(['ValueError', 'PayloadConverterError', 'DataConverterError']);
const UNAVAILABLE_NAMES = new Set(['TransportError', 'NamespaceNotFoundError', 'TimeoutError']);

export function classifyDeliveryFailure(err: unknown): FailureKind {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause)) {
      if (UNAVAILABLE_CODES.has(cause.code)) return 'unavailable';
      if (REFUSED_CODES.has(cause.code)) return 'refused';
    }
    if (UNAVAILABLE_NAMES.has(cause.name)) return 'unavailable';
    if (REFUSED_NAMES.has(cause.name)) return 'refused';
  }
  return 'failed';
}
