// How many Level devices are synced as a client's active assets: read at scrape time, so an
// alerting rule can tell "no webhook for hours" from "nothing mapped yet".
import type { Knex } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import { readForScrape } from './scrape-read';

export function registerAssetGauge(registry: Registry, knex: () => Knex): void {
  new Gauge({
    name: 'levelsync_mapped_devices',
    help: 'Level devices synced as active (not archived) assets of a client, all tenants',
    registers: [registry],
    async collect() {
      // With the database away or hung the gauge keeps its last value rather than failing or holding the scrape.
      const rows = await readForScrape(() =>
        knex()('assets').where({ archived: false }).count<Array<{ count: string }>>({ count: '*' }),
      );
      if (rows) this.set(Number(rows[0]?.count ?? 0));
    },
  });
}
