// The per-integration Level request budget, shared by every activity and every worker process:
// a token bucket kept in one PostgreSQL row. Tokens are reserved with one atomic upsert; when the
// bucket is empty the reservation goes into debt and the caller sleeps until its tokens have
// been refilled. Callers therefore never overrun the rate together, and no lock is held while
// anyone waits.
//
// At high rates the upsert itself would pace a sync, so each budget object leases a few tokens
// at a time while the bucket is well stocked: never more than a tenth of a second's worth (a
// lease left unused when the activity ends wastes at most that), and only briefly.
import type { Knex } from '@mikro-orm/postgresql';
import type { RequestBudget } from '../level/request-budget';

export interface BudgetOptions {
  requestsPerMinute: number;
  /** Tokens the bucket holds when idle (the burst allowed after a pause). */
  burst?: number;
}

/** A leased token not used within this long is given up (the rate it was reserved at may have gone). */
const LEASE_TTL_MS = 1_000;
const MAX_LEASE = 16;

export function createPostgresRequestBudget(knex: Knex, integrationId: string, options: BudgetOptions): RequestBudget {
  const perSecond = options.requestsPerMinute / 60;
  const burst = options.burst ?? Math.max(1, Math.floor(options.requestsPerMinute / 4));
  const leaseLimit = Math.max(1, Math.min(MAX_LEASE, Math.floor(perSecond / 10)));
  let leaseSize = 1;
  let leased = 0;
  let leaseExpiresAt = 0;

  const reserve = async (count: number): Promise<number> => {
    const result = await knex.raw<{ rows: Array<{ tokens: number }> }>(
      `insert into level_request_budgets as b (integration_id, tokens, refilled_at)
         values (?, ?::float8 - ?::float8, clock_timestamp())
       on conflict (integration_id) do update set
         tokens = least(?, b.tokens + extract(epoch from clock_timestamp() - b.refilled_at) * ?) - ?::float8,
         refilled_at = clock_timestamp()
       returning tokens`,
      [integrationId, burst, count, burst, perSecond, count],
    );
    return Number(result.rows[0]?.tokens ?? 0);
  };

  return {
    async acquire() {
      if (leased > 0 && Date.now() < leaseExpiresAt) {
        leased -= 1;
        return;
      }
      const count = leaseSize;
      const tokensLeft = await reserve(count);
      // Grow the lease while the bucket stays well stocked; back to single tokens when it runs low.
      leaseSize = tokensLeft >= 2 * count ? Math.min(leaseLimit, count * 2) : Math.max(1, Math.floor(count / 2));
      if (tokensLeft < 0) await new Promise((resolve) => setTimeout(resolve, (-tokensLeft / perSecond) * 1000));
      // Concurrent callers may each have reserved: keep what is still valid of the earlier lease.
      leased = (Date.now() < leaseExpiresAt ? leased : 0) + count - 1;
      leaseExpiresAt = Date.now() + LEASE_TTL_MS;
    },
  };
}
