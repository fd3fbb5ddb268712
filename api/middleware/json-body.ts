// JSON bodies for admin endpoints: anything sent must be JSON (else 415) and at most 256 KB
// (else 413); malformed JSON is a 400. Requests without a body pass through with {}.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { ApiError } from '../errors';

export const MAX_JSON_BODY = '256kb';

const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: MAX_JSON_BODY, encoding: 'utf-8' });

export async function jsonBody(ctx: Context, next: Next): Promise<void> {
  if (!hasBody(ctx)) {
    ctx.request.body = {};
    await next();
    return;
  }
  if (!ctx.request.is('application/json', '+json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)');
  }
  await parseJson(ctx, next);
}

function hasBody(ctx: Context): boolean {
  const length = ctx.request.get('content-length');
  return ctx.request.get('transfer-encoding') !== '' || (length !== '' && length !== '0');
}
