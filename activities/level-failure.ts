// Turning Level client errors into Temporal failures: the failure type is the stable code the
// API reports, and non-retryable errors stop Temporal's retries at once.
import { ApplicationFailure } from '@temporalio/activity';
import { LevelApiError } from '../level/errors';

const CODES: Record<string, string> = {
  auth_rejected: 'level_auth_rejected',
  not_found: 'level_not_found',
  rate_limited: 'level_rate_limited',
  server_error: 'level_server_error',
  network_error: 'level_unreachable',
  bad_response: 'level_bad_response',
  client_error: 'level_client_error',
  pagination_error: 'level_pagination_error',
  invalid_base_url: 'invalid_base_url',
  response_too_large: 'level_response_too_large',
};

export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof LevelApiError)) return err;
  const type = CODES[err.code] ?? `level_${err.code}`;
  return err.retryable ? ApplicationFailure.retryable(err.message, type) : ApplicationFailure.nonRetryable(err.message, type);
}

export function notConfigured(): ApplicationFailure {
  return ApplicationFailure.nonRetryable('The Level integration has no API key (configure it first)', 'integration_not_configured');
}
