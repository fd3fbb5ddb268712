// A failed save as errors per field (shown next to each field) plus one line for the form that
// names them, so the problem is announced even when its field is out of view.
import { ApiError } from '../api/client';

export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || Object.keys(err.fields).length === 0) return { form: (err as Error).message };
  const names = [...new Set(Object.keys(err.fields).map(readableField))];
  return { ...err.fields, form: `Not saved: check ${names.join(', ')}.` };
}

/** "conditions.pattern" → "pattern", "scope.clientId" → "client id". */
function readableField(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
