// The real server keeps its membership ports in a PostgreSQL smallint: a cluster whose ports
// would pass 32767 is refused before anything is built or started (it would crash at start-up).
import assert from 'node:assert/strict';
import { servicePorts } from '../../devserver/temporal-cluster';

describe('devserver/temporal-cluster ports', () => {
  it('lays the services out after the frontend port', () => {
    const ports = servicePorts(17233);
    assert.equal(ports.frontend, 17233);
    assert.deepEqual([ports.history, ports.matching, ports.worker], [17234, 17235, 17236]);
    assert.ok(new Set(Object.values(ports)).size === Object.values(ports).length, 'no port used twice');
  });

  it('refuses a frontend port whose membership ports would not fit a smallint', () => {
    assert.throws(() => servicePorts(37233), /below 32754/);
    assert.doesNotThrow(() => servicePorts(32754));
  });
});
