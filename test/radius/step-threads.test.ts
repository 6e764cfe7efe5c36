import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { authenticate, Authenticator, createAuthenticator, EapHost, openEapHost } from '../../lib';
import { RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { randomCredentials } from '../helpers';

/**
 * The RADIUS engine hands each step of a TLS-based conversation to its step threads
 * (native/radius/server/radius_step_pool.h), one per core up to eight where there are two or more, and
 * replies when the step comes back. Our own peer drives PEAP-MSCHAPv2 through RADIUS; the
 * server's Access-Accept or Access-Reject decides, and the threads are read from
 * /proc/self/task, where the engine names them.
 */
const SECRET = Buffer.from('step-threads-secret');
const STEP_THREAD = 'eaphost step';

/** The step threads of this process: the CPU time each has run, in nanoseconds (schedstat's
 *  first field; utime and stime count whole 10 ms ticks, too coarse for a few handshakes). */
function stepThreads(): number[] {
  const runtimes: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() !== STEP_THREAD) continue;
      runtimes.push(Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended while the directory was read
    }
  }
  return runtimes;
}

describe('the RADIUS engine\'s step threads (TLS-based conversations)', function () {
  this.timeout(120_000);
  const users = Array.from({ length: 4 }, () => randomCredentials());
  const expected = availableParallelism() >= 2 ? Math.min(availableParallelism(), 8) : 0;
  let authenticator: Authenticator;
  let host: EapHost;

  before(async () => {
    authenticator = await createAuthenticator({
      methods: ['peap'],
      users: Object.fromEntries(users.map((u) => [u.identity, { password: u.password }])),
    });
    host = await openEapHost();
  });
  after(async () => {
    await host?.close();
    await authenticator?.close();
  });

  async function authenticateThrough(port: number, identity: string, password: string, timeoutMs: number): Promise<boolean> {
    const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs, tries: 1 });
    const session = await host.beginSession({ method: 'peap', identity, password, ...authenticator.trust });
    try {
      return (await authenticate({ session, transport })).success;
    } finally {
      await session.endSession();
      await transport.close();
    }
  }

  it('runs 24 PEAP authentications at once, each with its own verdict, their handshakes on the step threads', async () => {
    // Every handshake step handed over however idle the engine (keepStepsBelow 0): the threads are the test.
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, keepStepsBelow: 0 });
    const { port } = await server.listen();
    try {
      const idle = stepThreads();
      assert.equal(idle.length, expected, `${expected} step threads for ${availableParallelism()} cores`);
      const attempts = Array.from({ length: 24 }, (_, i) => {
        const user = users[i % users.length];
        const right = i % 3 !== 0;
        return { right, verdict: authenticateThrough(port, user.identity, right ? user.password : `${user.password}!`, 10_000) };
      });
      for (const [i, attempt] of attempts.entries()) {
        assert.equal(await attempt.verdict, attempt.right, `authentication ${i}: the server's verdict`);
      }
      assert.equal(server.stats.accepts, 16);
      assert.equal(server.stats.rejects, 8);
      if (expected > 0) {
        // Started and waiting, the threads had run for tens of microseconds; the handshakes'
        // steps (key exchange, the server's signature, the inner method) take milliseconds.
        const ran = (stepThreads().reduce((a, b) => a + b, 0) - idle.reduce((a, b) => a + b, 0)) / 1e6;
        assert.ok(ran > 2, `the handshakes ran on the step threads (${ran.toFixed(2)} ms)`);
      }
    } finally {
      await server.close();
    }
    assert.equal(stepThreads().length, 0, 'close() stops the step threads');
  });

  it('stepThreads: 0 runs every step on the engine\'s thread: no step thread, none handed over, every verdict right', async () => {
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, stepThreads: 0 });
    const { port } = await server.listen();
    try {
      assert.equal(stepThreads().length, 0);
      assert.equal(server.stepPool.threads, 0);
      const attempts = Array.from({ length: 8 }, (_, i) => {
        const user = users[i % users.length];
        const right = i % 2 === 0;
        return { right, verdict: authenticateThrough(port, user.identity, right ? user.password : `${user.password}!`, 10_000) };
      });
      for (const [i, attempt] of attempts.entries()) assert.equal(await attempt.verdict, attempt.right, `authentication ${i}`);
      assert.equal(server.stats.accepts + server.stats.rejects, 8);
      assert.equal(server.stepPool.handedOver, 0, 'no step left the engine\'s thread');
      assert.equal(stepThreads().length, 0);
    } finally {
      await server.close();
    }
  });

  it('stepThreads: 3 starts three whatever the CPUs, and their handshakes run on them', async () => {
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, stepThreads: 3, keepStepsBelow: 0 });
    const { port } = await server.listen();
    try {
      const idle = stepThreads();
      assert.equal(idle.length, 3);
      assert.equal(server.stepPool.threads, 3);
      const attempts = Array.from({ length: 8 }, (_, i) =>
        authenticateThrough(port, users[i % users.length].identity, users[i % users.length].password, 10_000));
      for (const [i, verdict] of attempts.entries()) assert.equal(await verdict, true, `authentication ${i}`);
      // At least each ClientHello's step (test/radius/step-weight.test.ts counts them by TLS version).
      assert.ok(server.stepPool.handedOver >= attempts.length, `${server.stepPool.handedOver} steps handed over`);
      // Eight signatures and key exchanges: milliseconds, beside the tens of microseconds idle threads run.
      const ran = (stepThreads().reduce((a, b) => a + b, 0) - idle.reduce((a, b) => a + b, 0)) / 1e6;
      assert.ok(ran > 0.5, `the handshakes ran on the step threads (${ran.toFixed(2)} ms)`);
    } finally {
      await server.close();
    }
    assert.equal(stepThreads().length, 0);
  });

  for (const bad of [-1, 65, 1.5, Number.NaN, '2']) {
    it(`stepThreads ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)} is refused when the server is made`, () => {
      assert.throws(() => new RadiusServer({ port: 0, secret: SECRET, authenticator, stepThreads: bad as number }),
        typeof bad === 'number' && Number.isInteger(bad) ? RangeError : TypeError);
    });
  }

  for (const bad of [-1, 101, 0.5, Number.NaN, '70']) {
    it(`keepStepsBelow ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)} is refused when the server is made`, () => {
      assert.throws(() => new RadiusServer({ port: 0, secret: SECRET, authenticator, keepStepsBelow: bad as number }),
        typeof bad === 'number' && Number.isInteger(bad) ? RangeError : TypeError);
    });
  }

  it('by default one per CPU this process may run on: none when its affinity allows one CPU (taskset)', async function () {
    // The child's own count of the CPUs it may run on is the truth beside the engine's threads:
    // a process pinned to one CPU of several has nothing to gain from handing a step over.
    const child = `
      const { readdirSync, readFileSync } = require('node:fs');
      const { availableParallelism } = require('node:os');
      const { createAuthenticator } = require(${JSON.stringify(require.resolve('../../lib'))});
      const { RadiusServer } = require(${JSON.stringify(require.resolve('../../lib/radius'))});
      (async () => {
        const authenticator = await createAuthenticator({ methods: ['peap'], users: { u: { password: 'p' } } });
        const server = new RadiusServer({ port: 0, secret: 's', authenticator });
        await server.listen();
        const steps = readdirSync('/proc/self/task').filter((task) => {
          try { return readFileSync('/proc/self/task/' + task + '/comm', 'utf8').trim() === ${JSON.stringify(STEP_THREAD)}; } catch { return false; }
        }).length;
        const allowed = /^Cpus_allowed_list:(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1].trim();
        console.log(JSON.stringify({ steps, reported: server.stepPool.threads, cpus: availableParallelism(), allowed }));
        await server.close();
        await authenticator.close();
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const { stdout, status, stderr } = spawnSync('taskset', ['-c', '0', process.execPath, '-e', child], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(status, 0, stderr);
    const seen = JSON.parse(stdout.trim().split('\n').pop()!) as { steps: number; reported: number; cpus: number; allowed: string };
    assert.deepEqual(seen, { steps: 0, reported: 0, cpus: 1, allowed: '0' });
  });

  it('a lookup of the caller\'s answers the inner method\'s question, the step going on on a step thread', async () => {
    const asked: string[] = [];
    const lookup = async (identity: string) => {
      asked.push(identity);
      await new Promise((resolve) => setTimeout(resolve, 2));
      const user = users.find((u) => u.identity === identity);
      return user && { password: user.password };
    };
    const stored = await createAuthenticator({ methods: ['peap'], users: { lookup } });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: stored });
    const { port } = await server.listen();
    try {
      const attempts = Array.from({ length: 8 }, (_, i) => {
        const user = users[i % users.length];
        const right = i % 2 === 0;
        const verdict = async () => {
          const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 10_000, tries: 1 });
          const session = await host.beginSession({ method: 'peap', identity: user.identity,
            password: right ? user.password : `${user.password}!`, ...stored.trust });
          try {
            return (await authenticate({ session, transport })).success;
          } finally {
            await session.endSession();
            await transport.close();
          }
        };
        return { right, verdict: verdict() };
      });
      for (const [i, attempt] of attempts.entries()) assert.equal(await attempt.verdict, attempt.right, `authentication ${i}`);
      assert.equal(asked.length, 8, 'one question per authentication, about the inner identity');
      assert.equal(server.activeConversations, 0);
    } finally {
      await server.close();
      await stored.close();
    }
  });

  it('close() while handshakes are in flight ends every conversation and stops the step threads', async () => {
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator });
    const { port } = await server.listen();
    const verdicts = Array.from({ length: 16 }, (_, i) =>
      authenticateThrough(port, users[i % users.length].identity, users[i % users.length].password, 1_000)
        .catch(() => false));
    // Closed once every conversation has had a first challenge, while TLS steps go on.
    while (server.stats.challenges < 16) await new Promise((resolve) => setTimeout(resolve, 2));
    await server.close();
    assert.equal(server.activeConversations, 0);
    assert.equal(stepThreads().length, 0);
    const results = await Promise.all(verdicts);
    // Some may have finished before the close; the rest end without a verdict.
    assert.equal(server.stats.accepts, results.filter(Boolean).length);
  });
});
