/**
 * The host thread's completions must leave the event loop turning: each slice of completions
 * (and the promise continuations it starts) is one turn, after which timers and I/O run. The
 * truth is the event loop's own turns, marked by a setImmediate that re-arms itself once per
 * turn, beside the addon's count of drains (binding.hostThreadStats) read at each mark. A drain
 * that is signalled again while its continuations run would run many slices in one turn.
 */
import { strict as assert } from 'assert';
import { authenticate, createAuthenticator } from '../lib';
import { binding } from '../lib/native';
import { randomCredentials, openSuiteHost } from './helpers';

/** The most drains of completions between two turns of the event loop, until stopped: a
 *  setImmediate runs once in each turn's check phase. */
function watchTurns(): { stop(): { turns: number; mostDrains: number } } {
  let turns = 0;
  let mostDrains = 0;
  let last = binding.hostThreadStats().drains;
  let running = true;
  const mark = (): void => {
    const drains = binding.hostThreadStats().drains;
    mostDrains = Math.max(mostDrains, drains - last);
    last = drains;
    turns++;
    if (running) setImmediate(mark);
  };
  setImmediate(mark);
  return { stop: () => { running = false; mark(); return { turns, mostDrains }; } };
}

describe('event-loop turns under in-process authentications', function () {
  this.timeout(120_000);

  for (const concurrency of [1, 8, 64]) {
    it(`${concurrency} at a time: at most two drains of completions per turn of the event loop`, async () => {
      const { identity, password } = randomCredentials();
      await using host = await openSuiteHost();
      await using authenticator = await createAuthenticator({ methods: ['md5'], users: { [identity]: { password } } });
      const total = 1500;
      let started = 0;
      let succeeded = 0;
      const before = binding.hostThreadStats();
      const turns = watchTurns();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (started < total) {
          started++;
          const session = await host.beginSession({ method: 'md5', identity, password });
          try {
            if ((await authenticate({ session, transport: authenticator.createConversation() })).success) succeeded++;
          } finally {
            await session.endSession();
          }
        }
      }));
      const { turns: turnCount, mostDrains } = turns.stop();
      const drains = binding.hostThreadStats().drains - before.drains;
      assert.equal(succeeded, total);
      // Every authentication is four host-thread jobs: there were drains to count.
      assert.ok(drains >= total / 16, `only ${drains} drains for ${total} authentications`);
      // One slice may come from the loop's poll phase (the first completion's signal) and one
      // from its check phase (the slice the previous one owed): never more in one turn.
      assert.ok(mostDrains <= 2, `${mostDrains} drains in one turn of the event loop (${drains} in ${turnCount} turns)`);
    });
  }
});
