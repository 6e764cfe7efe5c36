/**
 * EapHostPeerUninitialize ends every EAPHost session of the process (its reference page), and
 * the stand-in models exactly that. Two instances opened in one process, or one in each of two
 * worker threads, must still live and close independently: closing one leaves the other's
 * session running to a verified MD5 Success (its response checked against node:crypto).
 */
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EapHostSession, openEapHost } from '../lib';
import { eapPacket, expectedMd5Response, md5ChallengeRequest, parseMd5Response, randomCredentials } from './helpers';

async function identityExchange(session: EapHostSession, identity: string): Promise<void> {
  assert.equal(await session.processReceivedPacket(eapPacket(1, 1, 1)), 'send');
  assert.equal((await session.getSendPacket()).subarray(5).toString('utf8'), identity);
}

/** MD5 from the challenge to Success, the response checked against node:crypto. */
async function finishMd5(session: EapHostSession, password: string): Promise<boolean> {
  const challenge = crypto.randomBytes(16);
  assert.equal(await session.processReceivedPacket(md5ChallengeRequest(2, challenge)), 'send');
  const response = parseMd5Response(await session.getSendPacket());
  assert.deepEqual(response.value, expectedMd5Response(2, password, challenge));
  assert.equal(await session.processReceivedPacket(eapPacket(3, 2)), 'result');
  return (await session.getResult()).success;
}

describe('EAPHost instances share the process-wide initialization', function () {
  it('two instances in one process: closing the first leaves the second authenticating', async () => {
    const first = await openEapHost({ backend: 'portable' });
    const second = await openEapHost({ backend: 'portable' });
    const firstUser = randomCredentials();
    const secondUser = randomCredentials();
    const firstSession = await first.beginSession({ method: 'md5', ...firstUser });
    const secondSession = await second.beginSession({ method: 'md5', ...secondUser });
    await identityExchange(firstSession, firstUser.identity);
    await identityExchange(secondSession, secondUser.identity);

    await first.close();  // ends its own session and clears its connection, nothing else
    assert.equal(await finishMd5(secondSession, secondUser.password), true);
    await secondSession.endSession();
    await second.close();

    // The last close uninitialized EAPHost; opening again initializes it afresh.
    await using third = await openEapHost({ backend: 'portable' });
    const thirdUser = randomCredentials();
    await using thirdSession = await third.beginSession({ method: 'md5', ...thirdUser });
    await identityExchange(thirdSession, thirdUser.identity);
    assert.equal(await finishMd5(thirdSession, thirdUser.password), true);
  });

  it('one instance per worker thread: the first worker closing leaves the second authenticating', async () => {
    const distTest = __dirname;
    // Each worker opens its own instance, runs the Identity exchange, then waits: 'close' closes
    // its instance and exits; 'finish' completes MD5 and reports the verdict.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const crypto = require('node:crypto');
      const { openEapHost } = require(${JSON.stringify(path.join(distTest, '..', 'lib', 'index.js'))});
      const h = require(${JSON.stringify(path.join(distTest, 'helpers.js'))});
      (async () => {
        const user = h.randomCredentials();
        const host = await openEapHost({ backend: 'portable' });
        const session = await host.beginSession({ method: 'md5', ...user });
        if (await session.processReceivedPacket(h.eapPacket(1, 1, 1)) !== 'send') throw new Error('no identity');
        await session.getSendPacket();
        parentPort.postMessage({ ready: true });
        parentPort.once('message', async (command) => {
          try {
            if (command === 'close') {
              await host.close();
              parentPort.postMessage({ closed: true });
              return;
            }
            const challenge = crypto.randomBytes(16);
            await session.processReceivedPacket(h.md5ChallengeRequest(2, challenge));
            const response = h.parseMd5Response(await session.getSendPacket());
            const expected = h.expectedMd5Response(2, user.password, challenge);
            await session.processReceivedPacket(h.eapPacket(3, 2));
            const success = (await session.getResult()).success;
            await session.endSession();
            await host.close();
            parentPort.postMessage({ success, responseMatches: response.value.equals(expected) });
          } catch (e) { parentPort.postMessage({ error: String(e && e.stack || e) }); }
        });
      })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
    // Every message is kept from the moment the worker starts: one that arrives before the test
    // asks for it (the second worker is often ready first) must not be lost to a missing listener.
    const inboxes = new Map<Worker, { messages: Array<Record<string, unknown>>; waiting?: (m: Record<string, unknown>) => void; failed?: Error }>();
    const start = () => {
      const worker = new Worker(source, { eval: true });
      worker.unref();  // a failed test must not keep mocha (exit: false) alive
      const inbox: { messages: Array<Record<string, unknown>>; waiting?: (m: Record<string, unknown>) => void; failed?: Error } = { messages: [] };
      inboxes.set(worker, inbox);
      worker.on('message', (message) => {
        if (inbox.waiting) { const deliver = inbox.waiting; inbox.waiting = undefined; deliver(message); }
        else inbox.messages.push(message);
      });
      worker.on('error', (error) => { inbox.failed = error; });
      return worker;
    };
    const next = (worker: Worker) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const inbox = inboxes.get(worker)!;
      if (inbox.failed) return reject(inbox.failed);
      const queued = inbox.messages.shift();
      if (queued) return resolve(queued);
      inbox.waiting = resolve;
      worker.once('error', reject);
    });
    const closing = start();
    const finishing = start();
    try {
      assert.deepEqual(await next(closing), { ready: true });
      assert.deepEqual(await next(finishing), { ready: true });
      closing.postMessage('close');
      assert.deepEqual(await next(closing), { closed: true });
      finishing.postMessage('finish');
      assert.deepEqual(await next(finishing), { success: true, responseMatches: true });
    } finally {
      await Promise.all([closing.terminate(), finishing.terminate()]);
    }
  });
});
