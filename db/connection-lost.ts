// Whether a database error says the database could not be reached or the connection was lost: it
// passes with time, so the work is retried — never taken for a bad row or a decision (an alert
// routed without its asset, a page of devices counted as failed). The driver's socket errors, the
// SQLSTATEs of a server shutting down or full (57P01–57P03, 53300) and of connection exceptions
// (class 08, but not 08P01: the protocol violation a NUL byte in a value causes), the message pg
// gives a query whose connection was cut, and knex's timeout waiting for a pooled connection.
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const MESSAGES = /Connection terminated|Timeout acquiring a connection|is not queryable/;

export function isConnectionLost(err: unknown): boolean {
  const { code, message, name } = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && CODES.has(code)) return true;
  return name === 'KnexTimeoutError' || (typeof message === 'string' && MESSAGES.test(message));
}
