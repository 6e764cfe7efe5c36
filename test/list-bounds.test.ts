/**
 * Every list argument has its real maximum, checked before anything is read or allocated: a sparse
 * array of length 2^32 - 1 is a RangeError naming the list, from the addon's generated readers
 * (seam/seam_args*.js's `max`) and from the public classes that take the list first.
 * Before, `reserve(Length())` threw std::bad_alloc out of the binding, which aborted the process,
 * and two readers walked the 4 G holes one by one.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'support', 'sparse-lists-child.js');

/** What each case must end in: the list named, its bound said. */
const EXPECTED: Record<string, RegExp> = {
  'radiusEngineOpen methods': /^RangeError: methods holds more than 256 entries$/,
  'radiusEngineOpen settings.connectionData': /^RangeError: connectionData holds more than 256 entries$/,
  'radiusEngineOpen clients': /^RangeError: clients holds more than 65536 entries$/,
  'radiusEngineOpen allowed': /^RangeError: allowed holds more than 65536 entries$/,
  'radiusEngineOpen tlsTypes': /^RangeError: tlsTypes holds more than 256 entries$/,
  'radiusEngineOpen users': /^RangeError: users holds more than 16777216 entries$/,
  'dynamicAuthorizationOpen clients': /^RangeError: clients holds more than 65536 entries$/,
  'NativeRadiusClient.send attributes': /^RangeError: attributes holds more than 2048 entries$/,
  'NativeRadiusClient.send answerCodes': /^RangeError: answerCodes holds more than 256 entries$/,
  'NativeRadiusClient.load columns': /^RangeError: columns holds more than 2048 entries$/,
  'registryDelete values': /^RangeError: values holds more than 256 entries$/,
  'RadiusServer allowedClients': /^RangeError: allowedClients holds more than 65536 entries$/,
  'RadiusServer clients': /^RangeError: clients holds more than 65536 entries$/,
  'RadiusClient.accessRequest attributes': /^RangeError: attributes holds more than 2048 entries$/,
  'PeerMethod.queryUserBlobFromCredentialInputFields fields': /^RangeError: fields holds more than 64 entries$/,
};

describe('list arguments: a sparse array of length 2^32 - 1', function () {
  this.timeout(120000);

  it('is a RangeError naming the list at every reader, and the process lives on', () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, [CHILD], { encoding: 'utf8', timeout: 60000, killSignal: 'SIGKILL' });
    const seen = new Map<string, string>();
    for (const line of (run.stdout ?? '').split('\n').filter(Boolean)) {
      const { name, error } = JSON.parse(line) as { name: string; error: string };
      seen.set(name, error);
    }
    const missing = Object.keys(EXPECTED).filter((name) => !seen.has(name));
    assert.deepEqual(missing, [], `the child stopped (status ${run.status}, signal ${run.signal}, after ${Date.now() - started} ms) ` +
      `before these cases:\n${run.stderr}`);
    assert.equal(run.status, 0, run.stderr);
    for (const [name, expected] of Object.entries(EXPECTED)) assert.match(seen.get(name) as string, expected, name);
    assert.deepEqual([...seen.keys()].sort(), Object.keys(EXPECTED).sort(), 'every case the child ran is checked here');
  });
});
