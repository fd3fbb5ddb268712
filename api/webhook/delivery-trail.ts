// What the delivery log keeps of one webhook request, gathered as the receiver goes: once it is
// authenticated, its outcome becomes one log entry (accepted, duplicate, ignored, or rejected with
// the status and reason); before that, a failed authentication only counts. Only ids, the event
// type and a short reason are kept: never a header, never the body.
import type { WebhookTarget } from '../../db/integration-store';
import type { DeliverySource } from '../../db/entities/webhook-delivery';
import { ApiError, DependencyUnavailableError } from '../errors';
import type { DeliveryRecorder } from './delivery-recorder';

/** What the trail needs of an accepted webhook (the receiver's AcceptedWebhook). */
export interface AcceptedForLog {
  eventId: string;
  recordedIn: string;
  kind: string;
  duplicate?: boolean;
  levelAlertId?: string;
  levelDeviceId?: string;
  workflowId?: string;
}

const MAX_ID_CHARS = 200;
const MAX_TYPE_CHARS = 100;
const MAX_ERROR_CHARS = 500;

export class DeliveryTrail {
  private readonly receivedAt = new Date();
  private source: DeliverySource;
  private eventType: string | null = null;
  private eventId: string | null = null;

  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly target: WebhookTarget,
    testAlert: boolean,
    /** True once the secret header or the signature proved right. */
    private authenticated: boolean,
  ) {
    this.source = testAlert ? 'test' : 'automation';
  }

  authenticatedBy(auth: 'secret' | 'signature'): void {
    this.authenticated = true;
    if (auth === 'signature' && this.source !== 'test') this.source = 'native';
  }

  /** Notes the event type and id as sent (native envelopes name themselves with `event_type`). */
  body(json: Record<string, unknown>): void {
    const native = Object.hasOwn(json, 'event_type');
    if (native && this.source !== 'test') this.source = 'native';
    this.eventType = shortText(native ? json.event_type : json.event, MAX_TYPE_CHARS);
    this.eventId = shortText(json.event_id, MAX_ID_CHARS);
  }

  accepted(accepted: AcceptedForLog): void {
    const outcome = accepted.kind === 'ignored' ? 'ignored' : accepted.duplicate ? 'duplicate' : 'accepted';
    this.write({
      outcome,
      httpStatus: 202,
      eventId: accepted.eventId,
      recordedIn: accepted.recordedIn,
      levelAlertId: accepted.levelAlertId ?? null,
      levelDeviceId: accepted.levelDeviceId ?? null,
      workflowId: accepted.workflowId ?? null,
      error: null,
    });
  }

  /** A refusal after authentication is logged; a failed authentication is only counted. */
  failed(err: unknown): void {
    if (!this.authenticated) {
      if (err instanceof ApiError && err.status === 401) this.recorder.unauthenticatedAttempt(this.target);
      return;
    }
    this.write({
      outcome: 'rejected',
      httpStatus: statusOf(err),
      eventId: this.eventId,
      recordedIn: null,
      levelAlertId: null,
      levelDeviceId: null,
      workflowId: null,
      error: reasonOf(err),
    });
  }

  private write(result: {
    outcome: 'accepted' | 'duplicate' | 'ignored' | 'rejected';
    httpStatus: number;
    eventId: string | null;
    recordedIn: string | null;
    levelAlertId: string | null;
    levelDeviceId: string | null;
    workflowId: string | null;
    error: string | null;
  }): void {
    this.recorder.record({
      tenantId: this.target.tenantId,
      integrationId: this.target.id,
      receivedAt: this.receivedAt,
      source: this.source,
      eventType: this.eventType,
      ...result,
    });
  }
}

function statusOf(err: unknown): number {
  if (err instanceof ApiError) return err.status;
  if (err instanceof DependencyUnavailableError) return 503;
  return 500;
}

/** The answer's message and the fields it names; an unexpected error says only that. */
function reasonOf(err: unknown): string {
  if (err instanceof DependencyUnavailableError) return err.message;
  if (!(err instanceof ApiError)) return 'Internal error';
  const fields = (err.details as { fields?: Array<{ field?: unknown }> } | undefined)?.fields
    ?.map((f) => f.field)
    .filter((f): f is string => typeof f === 'string');
  const reason =
    fields && fields.length > 0 && !fields.every((f) => err.message.includes(f))
      ? `${err.message} (${fields.join(', ')})`
      : err.message;
  return `${err.code}: ${reason}`.slice(0, MAX_ERROR_CHARS);
}

/** A string (or number) id or type as sent, cut short (the store removes what PostgreSQL cannot hold), or null. */
function shortText(value: unknown, max: number): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
