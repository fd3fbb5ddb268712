// docker-compose.yml publishes Temporal's frontend and its UI, neither of which asks for a login,
// on loopback only. The file is read as text (no YAML library is a dependency; the layout is the
// plain two-space one the file uses).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `ports:` entries of each service, as written. */
function publishedPorts(compose: string): Map<string, string[]> {
  const ports = new Map<string, string[]>();
  let service: string | undefined;
  let inPorts = false;
  let inServices = false;
  for (const line of compose.split('\n')) {
    if (/^\S/.test(line)) inServices = line.startsWith('services:');
    const serviceName = inServices ? /^ {2}([\w-]+):\s*$/.exec(line)?.[1] : undefined;
    if (serviceName) [service, inPorts] = [serviceName, false];
    else if (/^ {4}\S/.test(line)) inPorts = /^ {4}ports:/.test(line);
    else if (inPorts && service && /^ {6}- /.test(line)) {
      ports.set(service, [
        ...(ports.get(service) ?? []),
        line
          .replace(/^ {6}- /, '')
          .replace(/["']/g, '')
          .trim(),
      ]);
    }
  }
  return ports;
}

describe('docker-compose.yml', () => {
  it('publishes Temporal and its UI on 127.0.0.1 only', () => {
    const ports = publishedPorts(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8'));
    for (const service of ['temporal', 'temporal-ui']) {
      const published = ports.get(service) ?? [];
      assert.ok(published.length > 0, `${service} publishes a port`);
      for (const entry of published) assert.match(entry, /^127\.0\.0\.1:\d+:\d+$/, `${service}: ${entry}`);
    }
  });
});
