// The production worker's Node flags live in worker/node-flags.ts (the benchmarks use them) and
// in package.json's start:worker script (what operators run): they must not drift apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';

describe('worker Node flags', () => {
  it('are the ones npm run start:worker passes to node', () => {
    const scripts = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const command = scripts['start:worker']!.split(' ');
    assert.equal(command[0], 'node');
    for (const flag of WORKER_NODE_FLAGS)
      assert.ok(command.includes(flag), `start:worker lacks ${flag}: ${scripts['start:worker']}`);
    assert.ok(
      command.indexOf('worker/main.ts') > command.indexOf(WORKER_NODE_FLAGS[0]),
      'flags come before the script',
    );
  });
});
