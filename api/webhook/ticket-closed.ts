// The tickets API's onTicketClosed hook: when a person closes a ticket, every alert on it that is
// still open gets a `ticketClosed` signal, and its lifecycle run resolves it in Level if the
// ticket's rule says so. Delivered like webhook events (Temporal, else the inbox), so a closed
// ticket never fails because Temporal is briefly away.
import { AlertRuleSchema, AlertSchema, type Ticket } from '../../db/entities';
import { ticketClosedDelivery } from '../../contracts/alerts';
import type { OnTicketClosed } from '../routes/tickets';
import type { AppDeps } from '../deps';
import { makeDurable } from './receiver';

export function ticketClosedHook(deps: AppDeps): OnTicketClosed {
  return async (ticket: Ticket) => {
    if (!ticket.ruleId || ticket.alertIds.length === 0) return;
    const em = deps.orm.em.fork();
    const rule = await em.findOne(AlertRuleSchema, { id: ticket.ruleId });
    if (!rule?.actions.resolveAlertOnTicketClose) return;
    const alerts = await em.find(AlertSchema, {
      tenantId: ticket.tenantId,
      id: { $in: ticket.alertIds },
      status: { $in: ['active', 'suppressed'] },
    });
    const closedAt = (ticket.closedAt ?? new Date()).toISOString();
    for (const alert of alerts) {
      if (!alert.integrationId) continue;
      await makeDurable(
        deps,
        ticketClosedDelivery(ticket.tenantId, alert.integrationId, alert.levelAlertId, {
          ticketId: ticket.id,
          closedAt,
        }),
      );
    }
  };
}
