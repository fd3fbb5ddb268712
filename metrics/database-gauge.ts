// Whether the API's database reads answer at scrape time: the gauges read from the database keep
// their last values while it is away, so this says whether to trust them (and pages on its own).
import type { Knex } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { readForScrape } from './scrape-read';

export function registerDatabaseGauge(registry: Registry, knex: () => Knex): void {
  new Gauge({
    name: 'levelsync_database_up',
    help: "1 when PostgreSQL answered the scrape's read in time, 0 when it is away or hung (the database gauges then keep their last values)",
    registers: [registry],
    async collect() {
      this.set((await readForScrape(() => knex().raw('select 1'))) === undefined ? 0 : 1);
    },
  });
}
