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
  const a = rule.actions;
  // Noise control applies to the ticket, and is named only when set.
  const noise = [
    a.holdMinutes ? `only if still active after ${minutes(a.holdMinutes)}` : '',
    a.reopenWithinMinutes ? `reopen the closed ticket if it recurs within ${minutes(a.reopenWithinMinutes)}` : '',
  ].filter(Boolean);
  const then = a.createTicket
    ? [`create a ticket${a.priority ? ` (${a.priority})` : ''}`, ...noise].join(', ')
    : 'record only';
  return `${when} → ${then}`;
}

/** 5 → "5 minutes", 120 → "2 hours", 1440 → "1 day", 90 → "90 minutes". */
export function minutes(count: number): string {
  const [size, unit] =
    count % 1440 === 0 ? [count / 1440, 'day'] : count % 60 === 0 ? [count / 60, 'hour'] : [count, 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}
