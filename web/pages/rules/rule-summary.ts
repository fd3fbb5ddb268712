// One line saying what a rule matches and does, for the list.
import type { Client, Rule } from '../../api/types';

export function ruleSummary(rule: Rule, clients: Client[]): string {
  const c = rule.conditions;
  const names = new Map(clients.map((client) => [client.id, client.name]));
  const parts = [
    c.unmapped ? 'the device is unmapped' : '',
    c.severities?.length ? `severity ${c.severities.join('/')}` : '',
    c.clientIds?.length ? `clients ${c.clientIds.map((id) => names.get(id) ?? id).join(', ')}` : '',
    c.levelGroupIds?.length ? `${c.levelGroupIds.length} Level group(s)` : '',
    c.deviceRoles?.length ? `roles ${c.deviceRoles.join(', ')}` : '',
    c.keywords?.length ? `keywords ${c.keywords.join(', ')}` : '',
    c.pattern ? `pattern /${c.pattern}/` : '',
  ].filter(Boolean);
  const when = parts.length > 0 ? `When ${parts.join('; ')}` : 'Every alert';
  const then = rule.actions.createTicket ? `create a ticket${rule.actions.priority ? ` (${rule.actions.priority})` : ''}` : 'record only';
  return `${when} → ${then}`;
}
