// A request budget that gives up instead of waiting long. The shared budget (a token bucket) makes
// a caller sleep until its token is refilled, which during a sync can be minutes; a call that is
// only worth making now (a ticket's health snapshot) would rather fail and say so.
import { LevelApiError } from './errors';
import type { RequestBudget } from './request-budget';

/** The integration's request budget had no token within the wait allowed: nothing was sent. */
export class LevelBudgetExhaustedError extends LevelApiError {
  constructor(maxWaitMs: number) {
    super(
      `The Level request budget had no room within ${Math.ceil(maxWaitMs / 1000)} s; nothing was sent`,
      'budget_exhausted',
      false,
    );
  }
}

/**
 * `budget`, but `acquire()` rejects with LevelBudgetExhaustedError after `maxWaitMs`. The token
 * reserved meanwhile stays spent (the bucket cannot take it back), which costs one request.
 */
export function boundedBudget(budget: RequestBudget, maxWaitMs: number): RequestBudget {
  return {
    async acquire() {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new LevelBudgetExhaustedError(maxWaitMs)), maxWaitMs);
      });
      try {
        // race() keeps handling the abandoned acquire, so its late failure is no unhandled rejection.
        await Promise.race([budget.acquire(), expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
