// Request validation with zod: a failure becomes a 400 whose details name every bad field.
import type { z } from 'zod';
import { ApiError } from './errors';

export interface FieldProblem {
  field: string;
  message: string;
}

export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: FieldProblem[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', `Invalid ${where}: ${fields.map((f) => f.field).join(', ')}`, { fields });
}
