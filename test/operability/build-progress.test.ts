// The first start's Temporal CLI build says what it is doing and about how long is left.
import assert from 'node:assert/strict';
import { buildProgress } from '../../devserver/build-progress';

describe('Temporal CLI build progress', () => {
  it('reports the phase, the counts, the time elapsed and an estimate', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = buildProgress(
      (line) => lines.push(line),
      () => clock,
      7 * 60_000,
    );
    progress.line('go: downloading github.com/temporalio/cli v1.5.1');
    progress.line('go: downloading go.temporal.io/server v1.29.0');
    clock = 30_000;
    progress.report();
    assert.equal(
      lines.at(-1),
      'Building the Temporal CLI (first start only): downloading Go modules (2 so far); 30 s elapsed, about 6 min 30 s left',
    );
    for (const pkg of ['internal/abi', 'runtime', 'go.temporal.io/server/common/log']) progress.line(pkg);
    progress.line('# some cgo warning: ignored');
    clock = 6 * 60_000 + 45_000;
    progress.report();
    assert.equal(
      lines.at(-1),
      'Building the Temporal CLI (first start only): compiling (3 packages so far, after downloading 2 modules); 6 min 45 s elapsed, should finish soon',
    );
  });
});
