// The webhook inbox's backlog, read at scrape time by one grouped query over the (status,
// created_at) index. Only the API serves these (see api-registry.ts).
import type { Knex } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { readForScrape } from './scrape-read';

/** Rows still waiting for Temporal or an admin; delivered rows are kept only for redelivery checks. */
const WAITING = ['pending', 'sending', 'parked'] as const;

export function registerInboxGauges(inbox: Registry, knex: () => Knex): void {
  let snapshot: Promise<Map<string, { rows: number; oldestSeconds: number }> | undefined> | undefined;
  // Both gauges collect from one query per scrape. With the database away or hung the gauges keep
  // their last values (undefined: not set) rather than failing or holding the whole scrape.
  const read = () =>
    (snapshot ??= readForScrape(() => readInbox(knex())).finally(() => setImmediate(() => (snapshot = undefined))));

  new Gauge({
    name: 'levelsync_inbox_rows',
    help: 'Webhook events in the PostgreSQL inbox not yet delivered to Temporal, by status (pending, sending, parked)',
    labelNames: ['status'] as const,
    registers: [inbox],
    async collect() {
      const rows = await read();
      if (rows) for (const status of WAITING) this.set({ status }, rows.get(status)?.rows ?? 0);
    },
  });
  new Gauge({
    name: 'levelsync_inbox_oldest_age_seconds',
    help: 'Age of the oldest inbox event still waiting for delivery (pending or sending); 0 when none',
    registers: [inbox],
    async collect() {
      const rows = await read();
      if (rows) this.set(Math.max(rows.get('pending')?.oldestSeconds ?? 0, rows.get('sending')?.oldestSeconds ?? 0));
    },
  });
}

async function readInbox(knex: Knex): Promise<Map<string, { rows: number; oldestSeconds: number }>> {
  const result = await knex.raw<{ rows: Array<{ status: string; rows: string; oldest: string }> }>(
    `select status, count(*) as rows, extract(epoch from now() - min(created_at)) as oldest
       from webhook_inbox where status in (${WAITING.map(() => '?').join(', ')}) group by status`,
    [...WAITING],
  );
  return new Map(
    result.rows.map((r) => [r.status, { rows: Number(r.rows), oldestSeconds: Math.max(0, Number(r.oldest)) }]),
  );
}
