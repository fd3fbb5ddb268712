import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { RuleActions, RuleConditions } from '../../domain/alert-rules';
import { timestamps } from './columns';

/**
 * An alert rule (see domain/alert-rules.ts): evaluated by ascending `position` (ties by id),
 * first enabled match wins. `conditions` and `actions` hold the domain shapes as JSON, with
 * absent options omitted.
 */
export const AlertRuleSchema = defineEntity({
  name: 'AlertRule',
  tableName: 'alert_rules',
  indexes: [{ name: 'alert_rules_tenant_id_position_index', properties: ['tenantId', 'position'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.text(),
    enabled: p.boolean().default(true),
    position: p.integer(),
    conditions: p.json<RuleConditions>().defaultRaw(`'{}'`),
    actions: p.json<RuleActions>(),
    ...timestamps(),
  }),
});

export type AlertRuleRow = InferEntity<typeof AlertRuleSchema>;
