// Failure types of Level activities that retrying cannot fix.
export const NON_RETRYABLE_LEVEL_ERRORS = ['level_auth_rejected', 'integration_not_configured', 'level_client_error', 'level_pagination_error'];
