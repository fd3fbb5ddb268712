// Compile-time: what each exported view function answers fits its response schema in
// api/schemas.ts (every field the schema requires, of its type, and no field it does not name).
// `npm run typecheck` fails when a view and its documented schema drift apart.
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { ruleView } from '../../api/routes/alert-rules';
import { alertSettingsView } from '../../api/routes/alert-settings';
import { alertView } from '../../api/routes/alerts';
import { assetView } from '../../api/routes/assets';
import { clientView } from '../../api/routes/clients';
import { integrationView } from '../../api/routes/integration';
import { windowView } from '../../api/routes/maintenance-windows';
import { noteView, ticketView } from '../../api/routes/tickets';
import { webhookCard } from '../../api/webhook/card';
import { readSyncSchedule } from '../../temporal/sync-schedule';
import {
  alertResponse,
  alertSettingsResponse,
  assetResponse,
  clientResponse,
  integrationResponse,
  noteResponse,
  ruleResponse,
  syncScheduleResponse,
  ticketResponse,
  webhookCardResponse,
  windowResponse,
} from '../../api/schemas';

type Answer<View extends (...args: never[]) => unknown> = Awaited<ReturnType<View>>;

/** Compiles only when `View`'s answer has the schema's fields and no others. */
function fits<
  View extends z.input<Schema> & Record<Exclude<keyof View, keyof z.input<Schema>>, never>,
  Schema extends z.ZodType,
>(): boolean {
  return true;
}

describe('OpenAPI response schemas', () => {
  it('match the view functions (checked by the compiler)', () => {
    const checks = [
      fits<Answer<typeof ruleView>, typeof ruleResponse>(),
      fits<Answer<typeof alertView>, typeof alertResponse>(),
      fits<Answer<typeof assetView>, typeof assetResponse>(),
      fits<Answer<typeof clientView>, typeof clientResponse>(),
      fits<Answer<typeof integrationView>, typeof integrationResponse>(),
      fits<Answer<typeof windowView>, typeof windowResponse>(),
      fits<Answer<typeof ticketView>, typeof ticketResponse>(),
      fits<Answer<typeof noteView>, typeof noteResponse>(),
      fits<Answer<typeof webhookCard>, typeof webhookCardResponse>(),
      fits<Answer<typeof readSyncSchedule>, typeof syncScheduleResponse>(),
      fits<Answer<typeof alertSettingsView>, typeof alertSettingsResponse>(),
    ];
    assert.ok(checks.every(Boolean));
  });
});
