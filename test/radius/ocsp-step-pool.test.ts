/**
 * A PEAP user behind more EAP-TLS conversations waiting on a slow OCSP responder than the RADIUS
 * engine lends step threads for (native/radius/server/radius_step_pool.h). Every EAP-TLS conversation
 * waits on the one question the responder holds; the steps of one kind of conversation that wait
 * take at most the lent threads, so PEAP's steps find a thread and its verdict comes while the
 * question is still held, not at the responder's deadline. The responder is a loopback HTTP
 * server that holds every question (serve gives up on it after its 3 s deadline, and refuses the
 * clients: fail closed); the peers are this package's own, over RADIUS, in this process, where
 * the engine's threads are read from /proc/self/task by the name it gives them.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { authenticate, createAuthenticator, openEapHost, EapHost, Authenticator } from '../../lib';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { randomCredentials } from '../helpers';

const SECRET = Buffer.from('ocsp-step-pool-secret');
/** More EAP-TLS conversations than the engine lends threads for (64). */
const WAITING = 100;

function stepThreadCount(): number {
  let count = 0;
  for (const task of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'eaphost step') ++count;
    } catch {
      // the thread ended while the directory was read
    }
  }
  return count;
}

describe('serve\'s step threads: PEAP behind 100 EAP-TLS conversations waiting on a held OCSP question', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  // One certificate for every EAP-TLS client: one question about it, which they all wait on.
  const client = processEphemeralCa().issueClient('carol');
  let host: EapHost;
  let authenticator: Authenticator;
  const held: ServerResponse[] = [];
  let gaveUp = 0;
  let heard: () => void = () => undefined;
  const questionHeard = new Promise<void>((done) => { heard = done; });
  const responder = createServer((request, response) => {
    request.resume();
    held.push(response);
    // Closed before we answered: the engine stopped waiting for this responder (its deadline).
    response.on('close', () => { if (!response.writableEnded) ++gaveUp; });
    heard();
  });

  before(async () => {
    await new Promise<void>((done) => responder.listen(0, '127.0.0.1', done));
    host = await openEapHost();
    authenticator = await createAuthenticator({ methods: ['tls', 'peap'], users: { [user.identity]: { password: user.password } },
      ocspResponder: `http://127.0.0.1:${(responder.address() as AddressInfo).port}/` });
  });
  after(async () => {
    for (const response of held) if (!response.writableEnded) response.writeHead(503).end();
    await authenticator?.close();
    await host?.close();
    await new Promise<void>((done) => responder.close(() => done()));
  });

  async function through(port: number, method: 'tls' | 'peap'): Promise<{ success: boolean; at: number; reason?: string }> {
    const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port, secret: SECRET }, timeoutMs: 30_000, tries: 1 });
    const credentials = method === 'tls' ? { identity: 'carol', ...client }
      : { identity: user.identity, password: user.password };
    const session = await host.beginSession({ method, ...credentials, ...authenticator.trust });
    try {
      return { success: (await authenticate({ session, transport })).success, at: Date.now() };
    } catch (error) {
      // A refused client certificate is the authenticator's alert, a peer's error.
      return { success: false, at: Date.now(), reason: (error as Error).message };
    } finally {
      await session.endSession();
      await transport.close();
    }
  }

  it('PEAP\'s verdict comes while the question is held; the EAP-TLS clients are refused once it fails', async () => {
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator });
    const { port } = await server.listen();
    try {
      const tls = Array.from({ length: WAITING }, () => through(port, 'tls'));
      await questionHeard;
      const heardAt = Date.now();
      // The lent threads fill up with EAP-TLS steps waiting on the question (the engine lends
      // them every 50 ms while steps queue behind waiting ones); on a machine too loaded for the
      // conversations to get there within the responder's deadline, PEAP goes 2 s after the
      // question, leaving it a second before serve gives up.
      while (stepThreadCount() < 64 && Date.now() - heardAt < 2000) await new Promise((done) => setTimeout(done, 10));
      const threads = stepThreadCount();
      const peapStarted = Date.now();
      const peap = await through(port, 'peap');
      process.stdout.write(`      PEAP took ${peap.at - peapStarted} ms behind ${WAITING} EAP-TLS conversations on the held question ` +
        `(${threads} step threads)\n`);
      assert.equal(peap.success, true, `the PEAP user's verdict: ${peap.reason}`);
      // What serve --metrics shows (as of the engine's turn for PEAP's last request): threads lent, each one of the named ones.
      const load = server.stepPool;
      assert.ok(load.lent >= 1 && load.lent <= 64 && load.lent <= stepThreadCount(), `${load.lent} lent, ${stepThreadCount()} step threads`);
      assert.equal(gaveUp, 0, 'PEAP\'s verdict came only after the engine gave up on the held OCSP question');
      assert.equal(held.length, 1, 'one question for every conversation about the same certificate');
      const refused = await Promise.all(tls);
      assert.deepEqual(refused.filter((one) => one.success || !/alert "Certificate is bad"/.test(one.reason ?? '')), [],
        'an unanswered OCSP question refuses the client (fail closed) with a bad_certificate alert');
      assert.ok(refused.every((one) => one.at > peap.at), 'no EAP-TLS verdict came before PEAP\'s');
    } finally {
      await server.close();
    }
  });
});
