// A flood of bad webhook requests is answered in the HTTP server's request listener, before Koa.
// Once an address or a webhook id is over its failure limit, admission can mostly refuse from the
// limiters and this process's memory alone (see refusalFromMemory); deciding that here, without a
// Koa context, the ORM's request context, the routers and the error middleware, costs a regex and a
// map lookup instead of about 0.2 ms of the one event loop that real deliveries share (measured:
// at 2,000 bad requests a second that was most of the loop). Whatever it cannot decide goes on to
// Koa unchanged, which reaches the same verdicts the slow way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countRefusedWebhook, webhookSource } from '../../metrics/webhook-metrics';
import type { AdmissionRequest } from './admission';
import { SECRET_HEADER, SIGNATURE_HEADER } from './auth';
import type { RateLimitedError } from './failure-limiter';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Admission's verdict from memory (refusalFromMemory, bound to the app's limits): a 429 or null. */
export type EarlyRefusal = (request: AdmissionRequest) => RateLimitedError | null;

/** The receiver's path with a well-formed webhook id (others go to Koa, which answers them). */
const WEBHOOK_URL = /^\/webhooks\/level\/([A-Za-z0-9_-]{1,64})(?:\?|$)/;

/** Wraps Koa's request listener: over-limit webhook requests are answered 429 before it. */
export function refusingFloodsEarly(
  refuse: EarlyRefusal,
  trustProxy: boolean,
  koa: (req: IncomingMessage, res: ServerResponse) => unknown,
): RequestListener {
  return (req, res) => {
    const refusal = earlyRefusal(req, refuse, trustProxy);
    if (refusal) answer(req, res, refusal);
    else void koa(req, res);
  };
}

function earlyRefusal(req: IncomingMessage, refuse: EarlyRefusal, trustProxy: boolean): RateLimitedError | null {
  const webhookId = req.method === 'POST' ? WEBHOOK_URL.exec(req.url ?? '')?.[1] : undefined;
  if (!webhookId) return null;
  return refuse({
    webhookId,
    clientAddress: clientAddress(req, trustProxy),
    secretHeader: header(req, SECRET_HEADER),
    signatureHeader: header(req, SIGNATURE_HEADER),
  });
}

/** The address Koa's `ctx.ip` gives (X-Forwarded-For's first entry only behind a trusted proxy). */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? header(req, 'X-Forwarded-For')?.split(',', 1)[0]?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || '';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value.join(', ') : value) || undefined;
}

/** The 429 in the contract's error shape, as the error middleware would write it; the body is left unread (Node discards it). */
function answer(req: IncomingMessage, res: ServerResponse, refusal: RateLimitedError): void {
  countRefusedWebhook(
    webhookSource({ secret: header(req, SECRET_HEADER), signature: header(req, SIGNATURE_HEADER) }),
    refusal,
  );
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  res.writeHead(429, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(refusal.retryAfterSeconds),
  });
  res.end(body);
}
