/**
 * Terminating a worker inside Node's own UDP receive path must not abort the process. A
 * RADIUS authentication in a worker terminated mid-exchange was seen to abort in
 * node::AddressToJS ← UDPWrap::OnRecv on Node 20.20.2; this is the plain node:dgram form of
 * it, with nothing of eaphost loaded, run by the Node under test (the node-versions lane runs
 * it on 18, 22 and the newest release too). docs/api.md "Known issues" has what is known.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

for (const family of ['udp4', 'udp6'] as const) {
  describe(`plain dgram workers (${family}) terminated while receiving`, () => {
    it(`20 flooded workers terminated mid-receive on Node ${process.versions.node}: no abort`, function () {
      this.timeout(120000);
      const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'dgram-terminate-child.js'), '20', family],
        { encoding: 'utf8', timeout: 110000 });
      assert.equal(r.error, undefined, `the child did not finish: ${r.error}`);
      assert.equal(r.signal, null, `Node ${process.versions.node} aborted (${r.signal}) in a terminated dgram worker: ${r.stderr}`);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { workers: 20, family, survived: true });
    });
  });
}
