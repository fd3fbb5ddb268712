// A failed save as errors per field (shown next to each field) plus one line for the form that
// names them, so the problem is announced even when its field is out of view; and useSave, the
// save step every form shares: clear the last errors, write, then "done" or the errors.
import { useState } from 'preact/hooks';
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

/**
 * A form's save: `save()` clears the errors and "done", runs `write` (the request and what follows
 * it, e.g. handing the answer up), then sets `done`, or on failure the field errors.
 */
export function useSave(write: () => Promise<unknown>) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const save = async () => {
    setErrors({});
    setDone(false);
    try {
      await write();
      setDone(true);
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  };
  return { errors, done, save };
}
