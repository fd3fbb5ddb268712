// Failure types of our activities: the stable codes the API reports and the one list of those that
// retrying cannot fix (every activity retry policy names it). Imported by workflows: constants only.

/** Level client error code (level/errors.ts) → the failure type an activity raises for it. */
export const LEVEL_FAILURE_TYPES = {
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
} as const;

/** The integration has no saved API key. */
export const INTEGRATION_NOT_CONFIGURED = 'integration_not_configured';

/** Failure types that retrying cannot fix: Temporal stops retrying an activity at once on these. */
export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  LEVEL_FAILURE_TYPES.auth_rejected,
  INTEGRATION_NOT_CONFIGURED,
  LEVEL_FAILURE_TYPES.client_error,
  LEVEL_FAILURE_TYPES.pagination_error,
];
