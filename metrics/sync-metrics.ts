// Device sync runs and what they did to assets, counted by the activities that record them.
import { Counter } from 'prom-client';
import { registry } from './registry';

const runs = new Counter({
  name: 'levelsync_device_sync_runs_total',
  help: 'Device sync runs finished, by outcome (completed, failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const devices = new Counter({
  name: 'levelsync_device_sync_devices_total',
  help: 'Devices handled by finished device syncs, by result (created, updated, moved, relinked, archived, skipped, failed)',
  labelNames: ['result'] as const,
  registers: [registry],
});

const RESULTS = ['created', 'updated', 'moved', 'relinked', 'archived', 'skipped', 'failed'] as const;

export function countFinishedSync(counts: Record<(typeof RESULTS)[number], number>): void {
  runs.inc({ outcome: 'completed' });
  for (const result of RESULTS) if (counts[result] > 0) devices.inc({ result }, counts[result]);
}

export function countFailedSync(): void {
  runs.inc({ outcome: 'failed' });
}
