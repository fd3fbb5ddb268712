// Gauges only the API serves, read from the database at scrape time: the inbox backlog (the API
// owns the inbox relay), the mapped devices, and whether the database answered. Apart from the process-wide registry, which the
// worker serves too, so that two processes do not both report (and query) them.
import type { Knex } from '@mikro-orm/postgresql';
import { Registry } from 'prom-client';
import { registerAssetGauge } from './asset-metrics';
import { registerDatabaseGauge } from './database-gauge';
import { registerInboxGauges } from './inbox-metrics';

export function createApiRegistry(knex: () => Knex): Registry {
  const registry = new Registry();
  registerInboxGauges(registry, knex);
  registerAssetGauge(registry, knex);
  registerDatabaseGauge(registry, knex);
  return registry;
}
