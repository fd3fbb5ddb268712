// The alert pipeline's action log (`alert_actions`): each side effect of an alert run or a storm
// run (a routing, a resolve, a note, a storm step) is stored with the id its workflow drew for it,
// in the same transaction as the effect. A retried activity finds the first outcome instead of
// doing the work again, and a concurrent duplicate cannot commit: its insert of the same id fails
// (or, with claimAction, it learns it lost) and its transaction rolls back. (Routing writes its row
// inside its own single statement: see alert-routing-store.ts.)
import type { EntityManager } from '@mikro-orm/postgresql';

export interface ActionRef {
  actionId: string;
  tenantId: string;
  levelAlertId: string;
}

const INSERT_ACTION = `insert into "alert_actions" ("id", "tenant_id", "level_alert_id", "outcome", "created_at") values (?, ?, ?, ?::jsonb, now())`;

const actionRow = (ref: ActionRef, outcome: object) => [
  ref.actionId,
  ref.tenantId,
  ref.levelAlertId,
  JSON.stringify(outcome),
];

/** What the action stored when it ran, or null when it has not run. */
export async function findActionOutcome<T extends object>(em: EntityManager, actionId: string): Promise<T | null> {
  const rows = await em.execute<Array<{ outcome: T }>>(`select "outcome" from "alert_actions" where "id" = ?`, [
    actionId,
  ]);
  return rows[0]?.outcome ?? null;
}

/** Stores the action's outcome; a concurrent duplicate fails here (unique id), rolling its work back. */
export async function recordAction(em: EntityManager, ref: ActionRef, outcome: object): Promise<void> {
  await em.execute(INSERT_ACTION, actionRow(ref, outcome), 'run');
}

/** Stores the action's outcome unless it is there: true when this call stored it (do the work), false when it was done. */
export async function claimAction(em: EntityManager, ref: ActionRef, outcome: object): Promise<boolean> {
  const rows = await em.execute<Array<{ id: string }>>(
    `${INSERT_ACTION} on conflict ("id") do nothing returning "id"`,
    actionRow(ref, outcome),
  );
  return rows.length > 0;
}

/**
 * Runs `effect` in a transaction unless the action already ran, and stores its outcome with it;
 * answers the first outcome either way. `committed` hears of an outcome once, after its
 * transaction committed (a retry after a failed commit, or of a finished action, is not news).
 */
export async function runOnce<T extends object>(
  em: EntityManager,
  ref: ActionRef,
  effect: (tx: EntityManager) => Promise<T>,
  committed?: (outcome: T) => void,
): Promise<T> {
  let ranNow = false;
  const result = await em.transactional(async (tx) => {
    const prior = await findActionOutcome<T>(tx, ref.actionId);
    if (prior) return prior;
    const outcome = await effect(tx);
    await recordAction(tx, ref, outcome);
    ranNow = true;
    return outcome;
  });
  if (ranNow) committed?.(result);
  return result;
}
