// Turning Level client errors into Temporal failures: the failure type is the stable code the
// API reports (contracts/failures.ts), and non-retryable errors stop Temporal's retries at once.
import { ApplicationFailure } from '@temporalio/activity';
import { INTEGRATION_NOT_CONFIGURED, LEVEL_FAILURE_TYPES } from '../contracts/failures';
import { LevelApiError } from '../level/errors';

export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof LevelApiError)) return err;
  const type = (LEVEL_FAILURE_TYPES as Record<string, string | undefined>)[err.code] ?? `level_${err.code}`;
  return err.retryable
    ? ApplicationFailure.retryable(err.message, type)
    : ApplicationFailure.nonRetryable(err.message, type);
}

export function notConfigured(): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    'The Level integration has no API key (configure it first)',
    INTEGRATION_NOT_CONFIGURED,
  );
}
