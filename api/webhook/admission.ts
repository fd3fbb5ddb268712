// Admitting a webhook request before its body is read or the database is asked: the webhook id
// must name a connected integration (cached, see target-cache), an automation's secret header is
// checked at once, and failed attempts are limited per webhook id and per client address. Over a
// limit, only a request with the right secret header goes on (from an address over its limit,
// only if this process already knows that secret's digest: no lookup, no decryption); a signed
// native delivery cannot prove itself before its body is read, so it gets 429 and Level delivers
// it again later. Each attempt holds a token of both limits until it proves
// right (see failure-limiter), so authenticated deliveries never spend a limit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookTarget } from '../../db/integration-store';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { integrationSecret } from '../../db/integration-secrets';
import { authenticateWebhook, type WebhookAuth } from './auth';
import { deliveryRecorder } from './delivery-recorder';
import { FailureLimiter, RateLimitedError } from './failure-limiter';
import { webhookTargets } from './target-cache';

export interface WebhookLimits {
  byWebhook: FailureLimiter;
  byAddress: FailureLimiter;
}

/** A webhook id may be guessed wrong 20 times at once, then twice a second; an address, 50 and 5. */
export function webhookLimits(): WebhookLimits {
  return {
    byWebhook: new FailureLimiter({ burst: 20, perSecond: 2 }),
    byAddress: new FailureLimiter({ burst: 50, perSecond: 5 }),
  };
}

export interface AdmissionRequest {
  webhookId: string;
  /** The client's address (absent for the card's own test alert). */
  clientAddress?: string;
  secretHeader: string | undefined;
  signatureHeader: string | undefined;
}

export interface Admitted {
  target: WebhookTarget;
  /** Set when the secret header already authenticated the request; else the signature is still to check. */
  auth?: WebhookAuth;
  /** Gives the request's tokens back: call once its signature proved right. */
  proven: () => void;
}

/**
 * Digests of webhook secrets by their sealed value (a rotated secret is a new key), learned when a
 * secret header proved right or when the secret was opened to judge a request over a limit:
 * sha256 of a 256-bit random secret reveals nothing. Bounded.
 */
const secretDigests = new Map<string, Buffer>();
const MAX_SECRET_DIGESTS = 10_000;

/** Webhook ids are 32 base64url characters; anything else is unknown without asking. */
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NO_BODY = Buffer.alloc(0);

/**
 * The 429 `admitWebhook` would answer a request over a limit, when this process can tell from
 * memory alone (the cached target and the digests of proven secrets), else null: synchronous and
 * without the body, so the HTTP server answers a flood before it costs any middleware (see
 * early-refusal). Null means "admission decides": under both limits, a right secret, or — over
 * the webhook id's limit only — an id or a secret this process has not checked yet.
 */
export function refusalFromMemory(
  deps: AppDeps,
  request: AdmissionRequest,
  limits: WebhookLimits,
): RateLimitedError | null {
  const addressWait = request.clientAddress ? limits.byAddress.wait(request.clientAddress) : 0;
  const webhookWait = limits.byWebhook.wait(request.webhookId);
  if (addressWait === 0 && webhookWait === 0) return null;
  const cached = webhookTargets.cached(request.webhookId);
  if (cached === undefined && addressWait === 0) return null;
  const target = connected(cached);
  const verdict = target ? secretFromMemory(target, request) : 'wrong';
  if (verdict === 'unknown' && addressWait === 0) return null;
  return overLimitRefusal(deps, request, { addressWait, webhookWait }, target, verdict === 'right');
}

/** Throws 404 (unknown or disconnected webhook), 401 (wrong secret header) or 429 (over a limit). */
export async function admitWebhook(
  deps: AppDeps,
  request: AdmissionRequest,
  limits?: WebhookLimits,
): Promise<Admitted> {
  const held = hold(request, limits);
  if (held.addressWait > 0 || held.webhookWait > 0) {
    held.release();
    return admitOverLimit(deps, request, held);
  }
  // From here a refusal keeps the tokens: that is what counts failures.
  const target = connected(await lookup(deps, request.webhookId));
  if (!target) throw new ApiError(404, 'not_found', 'Webhook not found');
  if (request.signatureHeader) return { target, proven: held.release };
  const auth = authenticateOrCount(deps, target, request);
  held.release();
  rememberDigest(target, request.secretHeader!);
  return { target, auth, proven: () => undefined };
}

/**
 * An address over its limit is answered from memory alone (no lookup, no decryption); over the
 * webhook id's limit only, the target is looked up at most once per cache period.
 */
async function admitOverLimit(deps: AppDeps, request: AdmissionRequest, held: Held): Promise<Admitted> {
  const byAddress = held.addressWait > 0;
  const target = connected(
    byAddress ? webhookTargets.cached(request.webhookId) : await lookup(deps, request.webhookId),
  );
  // Over the address's limit only a secret this process already knows is checked (from memory).
  const proven =
    target !== null &&
    (byAddress ? secretFromMemory(target, request) === 'right' : secretOnly(deps, target, request) === 'secret');
  const refusal = overLimitRefusal(deps, request, held, target, proven);
  if (refusal) throw refusal;
  return { target: target!, auth: 'secret', proven: () => undefined };
}

/**
 * The verdict on a request over a limit (for admitOverLimit and refusalFromMemory alike): null
 * when its secret header proved right for a connected target, else the 429. A secret header found
 * wrong (or missing) counts on the card; over the address's limit it was not checked, and a signed
 * delivery is only held back.
 */
function overLimitRefusal(
  deps: AppDeps,
  request: AdmissionRequest,
  waits: { addressWait: number; webhookWait: number },
  target: WebhookTarget | null,
  proven: boolean,
): RateLimitedError | null {
  if (target && proven) return null;
  if (target && waits.addressWait === 0 && !request.signatureHeader)
    deliveryRecorder(deps).unauthenticatedAttempt(target);
  return new RateLimitedError(Math.max(waits.addressWait, waits.webhookWait));
}

/** The target when it is connected; null for an unknown (or not yet looked up) or disconnected one. */
function connected(target: WebhookTarget | null | undefined): WebhookTarget | null {
  return target && target.status !== 'disconnected' ? target : null;
}

interface Held {
  addressWait: number;
  webhookWait: number;
  /** Gives back whatever was taken (once). */
  release: () => void;
}

/** Takes a token from the request's address and webhook id buckets, where there is one. */
function hold(request: AdmissionRequest, limits?: WebhookLimits): Held {
  if (!limits) return { addressWait: 0, webhookWait: 0, release: () => undefined };
  const address = request.clientAddress;
  const addressWait = address ? limits.byAddress.take(address) : 0;
  const webhookWait = limits.byWebhook.take(request.webhookId);
  let released = false;
  return {
    addressWait,
    webhookWait,
    release: () => {
      if (released) return;
      released = true;
      if (address && addressWait === 0) limits.byAddress.giveBack(address);
      if (webhookWait === 0) limits.byWebhook.giveBack(request.webhookId);
    },
  };
}

function lookup(deps: AppDeps, webhookId: string): Promise<WebhookTarget | null> {
  return WEBHOOK_ID.test(webhookId) ? webhookTargets.get(deps.orm.em, webhookId) : Promise.resolve(null);
}

/** The secret header's verdict; a wrong one is counted for the card (in memory, see delivery-recorder) and thrown (401). */
function authenticateOrCount(deps: AppDeps, target: WebhookTarget, request: AdmissionRequest): WebhookAuth {
  try {
    return authenticateWebhook(target, deps.secretBox, headersOf(request), NO_BODY);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) deliveryRecorder(deps).unauthenticatedAttempt(target);
    throw err;
  }
}

/**
 * Over the webhook id's limit: the secret header's verdict (undefined when wrong or absent). The
 * stored secret is opened at most once per process and kept as a digest, so a flood of wrong
 * secrets costs hashes, and refusalFromMemory can answer the rest before Koa.
 */
function secretOnly(deps: AppDeps, target: WebhookTarget, request: AdmissionRequest): WebhookAuth | undefined {
  if (secretFromMemory(target, request) === 'unknown') {
    try {
      rememberDigest(
        target,
        deps.secretBox.open(target.webhookSecretSealed!, integrationSecret(target, 'webhook_secret_sealed')),
      );
    } catch {
      return undefined; // unreadable here: nothing can prove it
    }
  }
  return secretFromMemory(target, request) === 'right' ? 'secret' : undefined;
}

/**
 * The secret header's verdict from memory only, so a flood costs a hash per request, never a
 * decryption: right (the digest of the target's secret), wrong (another digest, no header, or a
 * signature, which cannot prove itself before the body is read), or unknown (this process has not
 * learned the secret's digest yet; a rotated secret is a new sealed value, so unknown too).
 */
function secretFromMemory(target: WebhookTarget, request: AdmissionRequest): 'right' | 'wrong' | 'unknown' {
  if (request.signatureHeader || !request.secretHeader || !target.webhookSecretSealed) return 'wrong';
  const known = secretDigests.get(target.webhookSecretSealed);
  if (!known) return 'unknown';
  return timingSafeEqual(known, digest(request.secretHeader)) ? 'right' : 'wrong';
}

/** Remembers the digest of the target's secret (a header that proved right, or the opened secret), for `secretFromMemory`. */
function rememberDigest(target: WebhookTarget, secret: string): void {
  if (!target.webhookSecretSealed || secretDigests.has(target.webhookSecretSealed)) return;
  secretDigests.set(target.webhookSecretSealed, digest(secret));
  if (secretDigests.size > MAX_SECRET_DIGESTS) secretDigests.delete(secretDigests.keys().next().value!);
}

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function headersOf(request: AdmissionRequest) {
  return { secret: request.secretHeader, signature: request.signatureHeader };
}
