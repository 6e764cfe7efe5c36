/** Terminating worker threads that have eaphost calls in flight must never take the process down. */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

describe('worker termination with calls in flight', () => {
  it('40 busy workers terminated at 20–400 ms: no abort, and the main thread still authenticates', function () {
    this.timeout(120000);
    const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'terminate-child.js'), '40'],
      { encoding: 'utf8', timeout: 110000 });
    assert.equal(r.signal, null, `the process died of ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { workers: 40, success: true });
  });
});
