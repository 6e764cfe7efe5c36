import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Key Buffers of a session dropped without endSession() are zero-filled when the session is
 * collected. A child node with --expose-gc runs a real MSCHAPv2 authentication against the
 * embedded authenticator, keeps only result.msk, drops the session and collects.
 */
const LIB = resolve(__dirname, '..', 'lib');
// The suite's host (test/helpers.ts: the EAPHost this suite's expectations hold for).
const HELPERS = resolve(__dirname, 'helpers');

const CHILD = `
const { authenticate, createAuthenticator } = require(${JSON.stringify(LIB)});
const { openSuiteHost } = require(${JSON.stringify(HELPERS)});
(async () => {
  const host = await openSuiteHost();
  const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { gina: { password: 'pw' } } });
  let msk;
  await (async () => {
    const session = await host.beginSession({ method: 'mschapv2', identity: 'gina', password: 'pw' });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    msk = result.msk;
  })();
  const before = msk ? msk.some((byte) => byte !== 0) : false;
  let zeroed = false;
  for (let i = 0; i < 50 && !zeroed; i++) {
    global.gc();
    await new Promise((done) => setTimeout(done, 20));
    zeroed = msk.every((byte) => byte === 0);
  }
  console.log(JSON.stringify({ length: msk ? msk.length : 0, before, zeroed }));
  await authenticator.close();
  await host.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('key Buffers of a session dropped without ending', function () {
  this.timeout(60_000);

  it('are zero-filled once the session is garbage-collected', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', CHILD], { encoding: 'utf8', timeout: 50_000 });
    assert.equal(child.status, 0, child.stderr);
    const outcome = JSON.parse(child.stdout.trim().split('\n').pop() as string);
    assert.ok(outcome.length >= 32, `an MSK came back (${outcome.length} bytes)`);
    assert.equal(outcome.before, true, 'the MSK held key material while the session lived');
    assert.equal(outcome.zeroed, true, 'collecting the session zero-filled the MSK');
  });
});
