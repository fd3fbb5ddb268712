// Reading a webhook body as the exact bytes sent (signatures are computed over them), with the
// same limits as the admin API: at most 256 KB (else 413) and JSON only (else 415).
import getRawBody from 'raw-body';
import type { Context } from 'koa';
import { ApiError } from '../errors';

export const MAX_WEBHOOK_BYTES = 256 * 1024;

export async function readRawJsonBody(ctx: Context, limit = MAX_WEBHOOK_BYTES): Promise<Buffer> {
  const declared = Number(ctx.request.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!ctx.request.is('application/json', '+json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Request body must be JSON (Content-Type: application/json)');
  }
  const charset = ctx.request.charset;
  if (charset && !/^utf-?8$/i.test(charset))
    throw new ApiError(415, 'unsupported_media_type', 'Request body must be UTF-8 encoded JSON');
  try {
    return await getRawBody(ctx.req, { limit, length: Number.isFinite(declared) ? declared : null });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 413) throw tooLarge(limit);
    if (status === 400) throw new ApiError(400, 'invalid_request', 'The request body was incomplete');
    throw err;
  }
}

const tooLarge = (limit: number) =>
  new ApiError(413, 'payload_too_large', `Request body is too large (at most ${Math.round(limit / 1024)} KB)`);
