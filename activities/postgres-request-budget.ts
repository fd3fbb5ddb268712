// The per-integration Level request budget, shared by every activity and every worker process:
// a token bucket kept in one PostgreSQL row. Each request reserves a token with one atomic
// upsert; when the bucket is empty the reservation goes into debt and the caller sleeps until
// its token has been refilled. Callers therefore never overrun the rate together, and no lock
// is held while anyone waits.
import type { Knex } from '@mikro-orm/postgresql';
import type { RequestBudget } from '../level/request-budget';

export interface BudgetOptions {
  requestsPerMinute: number;
  /** Tokens the bucket holds when idle (the burst allowed after a pause). */
  burst?: number;
}

export function createPostgresRequestBudget(knex: Knex, integrationId: string, options: BudgetOptions): RequestBudget {
  const perSecond = options.requestsPerMinute / 60;
  const burst = options.burst ?? Math.max(1, Math.floor(options.requestsPerMinute / 4));
  return {
    async acquire() {
      const result = await knex.raw<{ rows: Array<{ tokens: number }> }>(
        `insert into level_request_budgets as b (integration_id, tokens, refilled_at)
           values (?, ? - 1, clock_timestamp())
         on conflict (integration_id) do update set
           tokens = least(?, b.tokens + extract(epoch from clock_timestamp() - b.refilled_at) * ?) - 1,
           refilled_at = clock_timestamp()
         returning tokens`,
        [integrationId, burst, burst, perSecond],
      );
      const tokens = Number(result.rows[0]?.tokens ?? 0);
      if (tokens < 0) await new Promise((resolve) => setTimeout(resolve, (-tokens / perSecond) * 1000));
    },
  };
}
