/**
 * Runs `script` (JavaScript, as `node -e`) in a child of this node with the addon's test-only
 * probes exported (EAPHOST_CONTRACT_PROBE=1, read as the addon loads), and returns what it wrote
 * to stdout; a child that fails fails the test with its stderr.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

export function runProbeScript(script: string): string {
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, EAPHOST_CONTRACT_PROBE: '1' }, encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout;
}
