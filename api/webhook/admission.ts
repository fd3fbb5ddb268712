// Admitting a webhook request before its body is read or the database is asked: the webhook id
// must name a connected integration (cached, see target-cache), an automation's secret header is
// checked at once, and failed attempts are limited per webhook id and per client address. Over a
// limit, only a request with the right secret header goes on (from an address over its limit,
// only if this process already saw that secret proven right: no lookup, no decryption); a signed
// native delivery cannot prove itself before its body is read, so it gets 429 and Level delivers
// it again later. Each attempt holds a token of both limits until it proves
// right (see failure-limiter), so authenticated deliveries never spend a limit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookTarget } from '../../db/integration-store';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
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
  return { byWebhook: new FailureLimiter({ burst: 20, perSecond: 2 }), byAddress: new FailureLimiter({ burst: 50, perSecond: 5 }) };
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
 * Digests of secret headers that proved right, by the sealed secret they matched (a rotated
 * secret is a new key): sha256 of a 256-bit random secret reveals nothing. Bounded.
 */
const provenSecrets = new Map<string, Buffer>();
const MAX_PROVEN_SECRETS = 10_000;

/** Webhook ids are 32 base64url characters; anything else is unknown without asking. */
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NO_BODY = Buffer.alloc(0);

/** Throws 404 (unknown or disconnected webhook), 401 (wrong secret header) or 429 (over a limit). */
export async function admitWebhook(deps: AppDeps, request: AdmissionRequest, limits?: WebhookLimits): Promise<Admitted> {
  const held = hold(request, limits);
  if (held.addressWait > 0 || held.webhookWait > 0) {
    held.release();
    return admitOverLimit(deps, request, held);
  }
  // From here a refusal keeps the tokens: that is what counts failures.
  const target = await lookup(deps, request.webhookId);
  if (!target || target.status === 'disconnected') throw new ApiError(404, 'not_found', 'Webhook not found');
  if (request.signatureHeader) return { target, proven: held.release };
  const auth = authenticateOrCount(deps, target, request);
  held.release();
  rememberProven(target, request.secretHeader!);
  return { target, auth, proven: () => undefined };
}

/**
 * An address over its limit is answered from memory alone (no lookup, no decryption); over the
 * webhook id's limit only, the target is looked up at most once per cache period.
 */
async function admitOverLimit(deps: AppDeps, request: AdmissionRequest, held: Held): Promise<Admitted> {
  const byAddress = held.addressWait > 0;
  const target = byAddress ? webhookTargets.cached(request.webhookId) : await lookup(deps, request.webhookId);
  const usable = target && target.status !== 'disconnected' ? target : null;
  const auth = usable ? (byAddress ? provenFromMemory(usable, request) : secretOnly(deps, usable, request)) : undefined;
  if (!usable || auth === undefined) {
    // A secret header found wrong (or missing) counts on the card; over the address's limit it was
    // not checked, and a signed delivery is only held back.
    if (usable && !byAddress && !request.signatureHeader) deliveryRecorder(deps).unauthenticatedAttempt(usable);
    throw new RateLimitedError(Math.max(held.addressWait, held.webhookWait));
  }
  return { target: usable, auth, proven: () => undefined };
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

/** The secret header's verdict, if the request has one and no signature; undefined otherwise or when wrong. */
function secretOnly(deps: AppDeps, target: WebhookTarget, request: AdmissionRequest): WebhookAuth | undefined {
  if (request.signatureHeader || !request.secretHeader) return undefined;
  try {
    const auth = authenticateWebhook(target, deps.secretBox, headersOf(request), NO_BODY);
    rememberProven(target, request.secretHeader);
    return auth;
  } catch {
    return undefined;
  }
}

/**
 * Over an address's limit: the secret header's verdict from memory only (a secret this process saw proven
 * right before), so a flood costs a hash per request, never a decryption. Undefined: not proven.
 */
function provenFromMemory(target: WebhookTarget, request: AdmissionRequest): WebhookAuth | undefined {
  if (request.signatureHeader || !request.secretHeader || !target.webhookSecretSealed) return undefined;
  const known = provenSecrets.get(target.webhookSecretSealed);
  return known && timingSafeEqual(known, digest(request.secretHeader)) ? 'secret' : undefined;
}

/** Remembers (as a digest) a secret header that just proved right, for `provenFromMemory`. */
function rememberProven(target: WebhookTarget, secretHeader: string): void {
  if (!target.webhookSecretSealed || provenSecrets.has(target.webhookSecretSealed)) return;
  provenSecrets.set(target.webhookSecretSealed, digest(secretHeader));
  if (provenSecrets.size > MAX_PROVEN_SECRETS) provenSecrets.delete(provenSecrets.keys().next().value!);
}

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function headersOf(request: AdmissionRequest) {
  return { secret: request.secretHeader, signature: request.signatureHeader };
}
