// What the Koa app is built from; the entry points and the tests assemble these.
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { Ticket } from '../db/entities';
import type { Orm } from '../db/orm';
import type { SecretBox } from '../security/secret-box';
import type { TemporalGateway } from '../temporal/connection';

export interface AppDeps {
  orm: Orm;
  temporal: TemporalGateway;
  secretBox: SecretBox;
  logger: Logger;
  config: Pick<AppConfig, 'taskQueue' | 'publicUrl' | 'runWaitTimeoutMs' | 'levelHosts'> &
    Partial<Pick<AppConfig, 'temporalUiUrl' | 'temporalNamespace' | 'trustProxy' | 'metricsPort' | 'metricsToken'>>;
  /** The process's inbox relay, woken when an event is left to it (absent: it polls on its own). */
  inboxRelay?: { wake(): void };
}

/**
 * Called after a person's PATCH with `"status": "closed"` has been committed (also when the
 * ticket was already closed, so a retried request reaches it again). The alert lifecycle uses it
 * to resolve the alert in Level when the ticket's rule says so. It must be idempotent; if it
 * throws, the request answers that error although the close itself stays committed.
 */
export type OnTicketClosed = (ticket: Ticket) => Promise<void> | void;

/** What every route factory receives: the app's dependencies and the hooks app.ts wires between them. */
export interface RouteDeps extends AppDeps {
  /** Told when a person closes a ticket (api/routes/tickets.ts); app.ts wires api/webhook/ticket-closed.ts. */
  onTicketClosed?: OnTicketClosed;
}
