// Starts a Level simulator for manual use and demos:
//   npm run simulator -- --groups 500 --devices 20000 --depth 5 --alerts 200 --port 4010 \
//     --seed 1 --key <key> --rate-limit 100 --latency 0
// Prints its URL and API key (generated when --key is absent); stops on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startLevelSimulator } from '../simulator';

const USAGE = `Usage: npm run simulator -- [--groups N] [--devices N] [--depth N] [--ungrouped N] [--alerts N]
  [--port N] [--host H] [--seed N] [--key KEY] [--read-only-key KEY] [--rate-limit PER_MINUTE] [--latency MS]`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      groups: { type: 'string', default: '50' },
      devices: { type: 'string', default: '1000' },
      depth: { type: 'string', default: '3' },
      ungrouped: { type: 'string', default: '5' },
      alerts: { type: 'string', default: '50' },
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      key: { type: 'string' },
      'read-only-key': { type: 'string' },
      'rate-limit': { type: 'string', default: '0' },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  return values;
}

/** A non-negative integer option, or exit with the usage text. */
function integer(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer (got ${raw})\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) return void console.log(USAGE);
  const key = options.key ?? randomBytes(24).toString('base64url');
  const readOnlyKey = options['read-only-key'];
  const rateLimit = integer('rate-limit', options['rate-limit']);
  const startedAt = Date.now();
  const simulator = await startLevelSimulator({
    port: integer('port', options.port),
    host: options.host,
    apiKeys: readOnlyKey ? [key, { key: readOnlyKey, readOnly: true }] : [key],
    fleet: {
      seed: integer('seed', options.seed),
      groups: integer('groups', options.groups),
      depth: Math.max(1, integer('depth', options.depth)),
      devices: integer('devices', options.devices),
      ungroupedDevices: integer('ungrouped', options.ungrouped),
      alerts: integer('alerts', options.alerts),
    },
    rateLimit: rateLimit > 0 ? { requestsPerMinute: rateLimit } : null,
    latencyMs: integer('latency', options.latency),
  });
  const { fleet } = simulator;
  console.log(`Level simulator listening on ${simulator.url} (ready in ${Date.now() - startedAt} ms)`);
  console.log(`API key: ${key}${readOnlyKey ? `\nRead-only API key: ${readOnlyKey}` : ''}`);
  console.log(`Fleet: ${fleet.groupCount} groups, ${fleet.deviceCount} devices, ${fleet.alertCount} alerts`);
  console.log(`Try: curl -H 'Authorization: ${key}' '${simulator.url}/v2/groups?limit=1'`);
  const stop = (signal: string) => {
    console.log(`\n${signal} received, stopping (${simulator.stats.total} requests served)`);
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
