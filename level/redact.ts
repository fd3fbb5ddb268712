// Keeps the API key out of anything we surface. Server text (error bodies) is echoed into error
// details, and a misbehaving proxy could reflect request headers back at us.

const MAX_DETAIL_LENGTH = 200;

export function redactKey(text: string, apiKey: string): string {
  if (apiKey.length === 0) return text;
  return text.split(apiKey).join('[redacted]');
}

/** Sanitised, length-bounded detail text suitable for an error message or log. */
export function safeDetail(text: string | undefined, apiKey: string): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const redacted = redactKey(text.trim(), apiKey);
  return redacted.length > MAX_DETAIL_LENGTH ? `${redacted.slice(0, MAX_DETAIL_LENGTH)}…` : redacted;
}
