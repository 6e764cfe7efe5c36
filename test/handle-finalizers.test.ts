import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * What the garbage collector costs the host thread. A handle the facade released (a session
 * ended with endSession(), a finished conversation) was closed by that release: its finalizer
 * posts no second close job. A session dropped without endSession() still has its finalizer
 * close it on the host thread, one job. The truth is the host thread's own job counter
 * (hostThreadStats) around collections, in a child node run with --expose-gc; FinalizationRegistry
 * says when the facade objects, the only holders of their handles, were collected.
 */
const LIB = resolve(__dirname, '..', 'lib');
// The suite's host (test/helpers.ts: the EAPHost this suite's expectations hold for).
const HELPERS = resolve(__dirname, 'helpers');
const NATIVE = resolve(__dirname, '..', 'lib', 'native');

const CHILD = `
const { authenticate, createAuthenticator } = require(${JSON.stringify(LIB)});
const { openSuiteHost } = require(${JSON.stringify(HELPERS)});
const { binding } = require(${JSON.stringify(NATIVE)});
const collected = { count: 0 };
const registry = new FinalizationRegistry(() => { collected.count++; });
async function collectUntil(count) {
  for (let i = 0; i < 100 && collected.count < count; i++) {
    global.gc();
    await new Promise((done) => setTimeout(done, 10));
  }
  // Handle finalizers run after the collection that found their objects: a few more turns.
  for (let i = 0; i < 5; i++) await new Promise((done) => setTimeout(done, 10));
}
(async () => {
  const host = await openSuiteHost();
  const authenticator = await createAuthenticator({ users: { ida: { password: 'pw' } } });
  const RUNS = 20;
  await (async () => {
    for (let i = 0; i < RUNS; i++) {
      const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw' });
      const conversation = authenticator.createConversation();
      const result = await authenticate({ session, transport: conversation });
      if (!result.success) throw new Error('authentication failed');
      await session.endSession();
      registry.register(session, 'ended');
    }
  })();
  await new Promise((done) => setTimeout(done, 50));
  const beforeEnded = binding.hostThreadStats().jobs;
  await collectUntil(RUNS);
  const ended = { collected: collected.count, jobs: binding.hostThreadStats().jobs - beforeEnded };
  await (async () => {
    const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw' });
    registry.register(session, 'dropped');
  })();
  await new Promise((done) => setTimeout(done, 50));
  const beforeDropped = binding.hostThreadStats().jobs;
  await collectUntil(RUNS + 1);
  // The close job runs on the host thread when it gets there, later on a loaded machine: wait
  // for it (bounded) rather than for a fixed time.
  for (let i = 0; i < 1000 && binding.hostThreadStats().jobs === beforeDropped; i++) {
    await new Promise((done) => setTimeout(done, 10));
  }
  const dropped = { collected: collected.count - RUNS, jobs: binding.hostThreadStats().jobs - beforeDropped };
  console.log(JSON.stringify({ ended, dropped }));
  await authenticator.close();
  await host.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('handle finalizers on the host thread', function () {
  this.timeout(60_000);

  it('post no close for a released handle, and one for a session dropped without ending', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', CHILD], { encoding: 'utf8', timeout: 50_000 });
    assert.equal(child.status, 0, child.stderr);
    const { ended, dropped } = JSON.parse(child.stdout.trim().split('\n').pop() as string);
    assert.equal(ended.collected, 20, 'every ended session was collected');
    assert.equal(ended.jobs, 0, 'collecting released handles ran no host-thread job');
    assert.equal(dropped.collected, 1, 'the dropped session was collected');
    assert.ok(dropped.jobs >= 1, `collecting an unreleased session closed it on the host thread (${dropped.jobs} jobs)`);
  });
});
