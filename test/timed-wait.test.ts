/**
 * The native code's one timed wait (native/common/timed_wait.h), through the test-only
 * timedWaitProbe (in a child process started with EAPHOST_CONTRACT_PROBE=1): a 300 ms wait on a
 * condition variable nobody notifies takes 300 ms and returns once, not hundreds of times. The
 * failure it guards against is 32-bit Windows' (the Wine lane's x86 part runs this file in the
 * official 32-bit node.exe): there std::condition_variable's timed waits hand libwinpthread a
 * struct timespec of another layout than the one it reads, the deadline loses its sub-second
 * part, and the wait returns early again and again until the deadline: a busy spin of up to a
 * second. The judge is the clock and the count of returns, not the implementation.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runProbeScript } from './support/probe-child';

const distLib = path.join(__dirname, '..', 'lib');
const WAIT_MS = 300;
const ROUNDS = 3;

/** [took ms, returns] for each round, from the addon's own wait. */
function waitInChild(): Array<[number, number]> {
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    const rounds = [];
    for (let i = 0; i < ${ROUNDS}; i++) rounds.push(binding.timedWaitProbe({ ms: ${WAIT_MS} }));
    process.stdout.write(JSON.stringify({ arch: process.arch, rounds }));`;
  const out = JSON.parse(runProbeScript(script)) as { arch: string; rounds: Array<[number, number]> };
  assert.equal(out.arch, process.arch, 'the child is the same node');
  return out.rounds;
}

describe('a 300 ms timed wait in the native code (common/timed_wait.h)', function () {
  this.timeout(60000);

  it(`waits ${WAIT_MS} ms and returns once, ${ROUNDS} times in a row (${process.platform} ${process.arch})`, () => {
    const rounds = waitInChild();
    assert.equal(rounds.length, ROUNDS);
    for (const [took, returns] of rounds) {
      // The probe waits until its deadline whatever happens: never less than WAIT_MS.
      assert.ok(took >= WAIT_MS, `took ${took} ms`);
      // Late on a loaded machine, but never the second a wait that lost its sub-second part may take.
      assert.ok(took < WAIT_MS + 600, `took ${took} ms`);
      // One return at the deadline; a spurious wakeup or two at most. A wait that loses its
      // sub-second part returns thousands of times.
      assert.ok(returns <= 3, `the wait returned ${returns} times in ${took.toFixed(1)} ms: it spins`);
    }
  });
});
