// Level allows roughly 100 requests a minute per key, shared by everything using that key.
// The client awaits `acquire()` before every HTTP request (retries included) so a shared,
// persistent budget can pace all workers; the real implementation lives elsewhere.

export interface RequestBudget {
  /** Resolves when one more request may be sent; may wait, may reject to abort the call. */
  acquire(): Promise<void>;
}

/** Budget that never waits: the default when no budget is configured. */
export const unlimitedBudget: RequestBudget = {
  acquire: async () => undefined,
};
