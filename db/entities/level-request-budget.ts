import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * The token bucket of an integration's Level request budget. Every worker process draws from
 * this one row (see db/postgres-request-budget.ts), so together they cannot overrun it.
 */
export const LevelRequestBudgetSchema = defineEntity({
  name: 'LevelRequestBudget',
  tableName: 'level_request_budgets',
  properties: (p) => ({
    integrationId: p.uuid().primary(),
    tokens: p.double(),
    refilledAt: p.datetime().columnType('timestamptz').defaultRaw('clock_timestamp()'),
  }),
});

export type LevelRequestBudget = InferEntity<typeof LevelRequestBudgetSchema>;
