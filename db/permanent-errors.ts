// Which database errors no retry can fix. PostgreSQL's SQLSTATE class 22 ("data exception": an
// unpaired surrogate in jsonb, a timestamp out of range, a value too long), the not-null and
// check violations, and the protocol violation the driver causes by sending a NUL byte inside a
// text parameter all come from the values written, so the same write fails the same way on every
// attempt. Connection loss, deadlocks, serialization failures and shutdowns (classes 08, 40, 53,
// 57) pass with time, and so do errors of unknown origin: those keep being retried.

const PERMANENT_CODES: Record<string, string> = {
  '08P01': 'a text value contains a NUL character',
  '22001': 'a value is too long',
  '22007': 'a date or time is malformed',
  '22008': 'a date or time is out of range',
  '22021': 'a text value is not valid UTF-8',
  '22P02': 'a value has the wrong format',
  '22P05': 'a value contains a character PostgreSQL cannot store (NUL or an unpaired surrogate)',
  '23502': 'a required value is missing',
  '23514': 'a value is not one of the allowed ones',
};

/** The SQLSTATE of a driver error (possibly wrapped by the ORM), if there is one. */
function sqlState(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isPermanentDataError(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && (code.startsWith('22') || code in PERMANENT_CODES);
}

/**
 * What is wrong, for a person, without the statement: the ORM's message quotes the statement with
 * its values inlined, which is long and not the service's to repeat.
 */
export function describePermanentDataError(err: unknown): string {
  const code = sqlState(err) ?? 'unknown';
  return `${PERMANENT_CODES[code] ?? 'a value is not valid'} (SQLSTATE ${code})`;
}
