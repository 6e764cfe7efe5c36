/**
 * What the package promises for every Node version in engines.node (>= 18), checked on the
 * Node running the suite: nothing may depend on a global that Node 18 lacks. The same
 * behaviour on real Node 18, 22 and the newest release is the node-versions lane
 * (scripts/ci/node-versions.sh).
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

// RFC 9562 §5.4: version 4, variant 10xx.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Node 18 compatibility', () => {
  it('beginSession without a connectionId works where globalThis.crypto does not exist (as on Node 18)', function () {
    this.timeout(60000);
    const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'no-web-crypto-child.js')],
      { encoding: 'utf8', timeout: 55000 });
    assert.equal(r.signal, null, `the child died of ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, `the child failed without globalThis.crypto: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { connectionIds: string[]; success: boolean };
    assert.equal(out.success, true);
    assert.equal(out.connectionIds.length, 2);
    for (const id of out.connectionIds) assert.match(id, UUID_V4);
    assert.notEqual(out.connectionIds[0], out.connectionIds[1]);
  });
});
