import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import { setTimeout as delay } from 'node:timers/promises';
import { Authenticator, createAuthenticator, openEapHost } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { openOverRadius, radiusRequester, RadiusRequest, recordPeapResponses } from '../support/half-open-peap';

/**
 * When the RADIUS engine asks a step thread to hand the heap's free pages back
 * (native/radius/server/radius_stranded_heap.h): once the TLS state of a burst of conversations
 * whose handshakes it kept on its own thread has been freed, after it began handing handshakes
 * over; never while it keeps them, and never when it keeps none. The truth is the engine's own
 * counts of the handshake steps it kept and handed over, and of conversations evicted: half-open
 * PEAP conversations (a real peer's ClientHello, replayed) under a cap of TLS conversations, so
 * that each one past the cap evicts the oldest. What the walk gives back is measured by
 * bench/half-open-flood.ts (`--idle-first 1000`), not here: RSS is the machine's, not a verdict.
 */

const SECRET = Buffer.from('stranded-heap-secret');
const USER = { identity: 'stranded', password: 'stranded pw' };
const CAP = 300;

describe('RADIUS engine: the heap room left by handshakes it kept is handed back once they end', function () {
  this.timeout(120_000);
  let authenticator: Authenticator | undefined;
  let clientHello: Buffer;
  const servers: RadiusServer[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['peap'], users: { [USER.identity]: { password: USER.password } } });
    const host = await openEapHost();
    try {
      ({ clientHello } = await recordPeapResponses(authenticator, host, USER));
    } finally {
      await host.close();
    }
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    for (const server of servers) await server.close();
    await authenticator?.close();
  });

  async function serve(keepStepsBelow: number): Promise<{ server: RadiusServer; request: RadiusRequest }> {
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: authenticator!, stepThreads: 2, keepStepsBelow,
      maxTlsConversations: CAP, maxConversations: 100_000, idleTimeoutMs: 600_000 });
    servers.push(server);
    const { port } = await server.listen();
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return { server, request: radiusRequester(socket, port, SECRET) };
  }

  /** Opens half-open conversations, `inFlight` at a time, until `done` says so or `limit` were opened. */
  async function flood(request: RadiusRequest, inFlight: number, limit: number, done: () => boolean): Promise<number> {
    let opened = 0;
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < limit && !done()) {
        const n = next++;
        assert.ok(await openOverRadius(request, `flood${n}`, clientHello), `conversation ${n}: no PEAP flight came back`);
        opened++;
      }
    }));
    return opened;
  }

  it('asks once after the engine turns from keeping handshakes to handing them over, never while it keeps them', async () => {
    // Enter below 5 % of a core, leave past 20 % (radius_lane_headroom.h): a paced opening stays
    // under it however loaded the machine, a flood at 64 in flight passes it.
    const { server, request } = await serve(5);
    // The engine keeps nothing before its first quarter-second window has been measured.
    await delay(400);
    // Twice the cap, one at a time with a pause: every ClientHello kept, and the first half
    // evicted while the engine still keeps: their room is reused, nothing is stranded.
    for (let n = 0; n < 2 * CAP; n++) {
      assert.ok(await openOverRadius(request, `paced${n}`, clientHello), `paced conversation ${n}: no PEAP flight`);
      await delay(3);
    }
    const paced = { ...server.stepPool, evicted: server.stats.conversationsEvicted };
    assert.deepEqual({ kept: paced.kept, handedOver: paced.handedOver, heapReturns: paced.heapReturns, evicted: paced.evicted },
      { kept: 2 * CAP, handedOver: 0, heapReturns: 0, evicted: CAP });
    // The flood: the engine hands its handshakes over once its share passes 20 %, and each
    // conversation handed over evicts one whose handshake it kept. Once at most an eighth of
    // those are left, a step thread is asked to walk the heap.
    const opened = await flood(request, 64, 20_000, () => server.stepPool.heapReturns > 0);
    const flooded = server.stepPool;
    assert.ok(flooded.handedOver > 0, `the engine kept all ${opened} of the flood's handshakes: its share never passed 20 %`);
    assert.equal(flooded.heapReturns, 1, `${opened} opened, ${flooded.handedOver} handed over`);
    // The last kept conversations had gone at least down to an eighth of the cap when it asked.
    assert.ok(flooded.handedOver >= CAP - CAP / 8, `asked after ${flooded.handedOver} handshakes handed over`);
    // Nothing more is stranded: the flood goes on without another walk.
    await flood(request, 64, 2 * CAP, () => false);
    assert.equal(server.stepPool.heapReturns, 1);
  });

  it('never asks when the engine keeps no handshake', async () => {
    const { server, request } = await serve(0);
    await flood(request, 64, 4 * CAP, () => false);
    assert.deepEqual({ kept: server.stepPool.kept, handedOver: server.stepPool.handedOver, heapReturns: server.stepPool.heapReturns },
      { kept: 0, handedOver: 4 * CAP, heapReturns: 0 });
  });
});
