// The rule every new integration starts with (see defaultCatchAllRule): a tenant with no rules at
// all gets the editable catch-all that creates tickets, so a first test alert produces a ticket.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { defaultCatchAllRule } from '../domain/alert-rules';
import { AlertRuleSchema, type AlertRuleRow } from './entities';

/**
 * Inserts the default catch-all rule at position 0 when the tenant has no rules at all; returns
 * the created rule, or null when the tenant already has rules. Meant to be called when an
 * integration is created (an admin who later deletes every rule gets "record only" until then).
 * Concurrent calls for one tenant are serialised on the tenant row, so at most one is inserted.
 */
export async function ensureDefaultRules(em: EntityManager, tenantId: string): Promise<AlertRuleRow | null> {
  const created = await em.transactional(async (tx) => {
    await tx.execute(`select 1 from "tenants" where "id" = ? for update`, [tenantId]);
    if ((await tx.count(AlertRuleSchema, { tenantId })) > 0) return null;
    const now = new Date();
    const rule = tx.create(AlertRuleSchema, {
      id: randomUUID(),
      tenantId,
      name: defaultCatchAllRule.name,
      enabled: defaultCatchAllRule.enabled,
      position: 0,
      conditions: { ...defaultCatchAllRule.conditions },
      actions: { ...defaultCatchAllRule.actions },
      createdAt: now,
      updatedAt: now,
    });
    await tx.flush();
    return rule.id;
  });
  return created === null ? null : em.findOneOrFail(AlertRuleSchema, { id: created });
}
