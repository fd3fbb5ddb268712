// The process's one metrics registry: every levelsync_* metric and Node's default process
// metrics. The API and the worker each serve it on their /metrics (with what only they add).
import { collectDefaultMetrics, Registry } from 'prom-client';

export const registry = new Registry();

collectDefaultMetrics({ register: registry });
