import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { ClientEngine, LoadPlan } from '../../lib/radius/client-engine';
import { failureOf } from '../../lib/radius/client';
import { RadiusAuthenticatorMismatchError } from '../../lib/radius/errors';
import { RadiusClientOutcome } from '../../lib/native';

/**
 * Replies that do not verify cost the client engine one check each: a reply is verified against
 * the request under its Identifier, never against every request out. Before, each one cost an
 * MD5 over it per outstanding request (3.1 ms at 256 out for a 4 KB reply), and 1,000 such replies
 * a second cut a load run to about 1 % of its rate, its timeouts blamed on the shared secret.
 * The server here signs its Access-Accepts with node:crypto (RFC 2865 §3), and from the same
 * address and port sends 4 KB replies under random Identifiers that no secret signed.
 */
const SECRET = Buffer.from('stray-flood-secret');
const JUNK_PER_SECOND = 1000;
const RUN_MS = 1000;
/** Runs with and without the junk, alternating, so the machine's other work weighs on both alike. */
const PAIRS = 3;

function accept(request: Buffer): Buffer {
  const reply = Buffer.alloc(20);
  reply[0] = 2;
  reply[1] = request[1];
  reply.writeUInt16BE(20, 2);
  request.copy(reply, 4, 4, 20);
  createHash('md5').update(reply).update(SECRET).digest().copy(reply, 4);
  return reply;
}

/** An Access-Accept of 4,096 bytes under a random Identifier: random authenticator, one big
 *  attribute after another. */
function junk(): Buffer {
  const reply = randomBytes(4096);
  reply[0] = 2;
  reply.writeUInt16BE(4096, 2);
  for (let at = 20; at < 4096; at += 238) {
    reply[at] = 26;
    reply[at + 1] = Math.min(238, 4096 - at);
  }
  return reply;
}

interface Responder { port: number; junkSent: number; spray(on: boolean): void; close(): Promise<void> }

async function responder(): Promise<Responder> {
  const socket: Socket = createSocket('udp4');
  let client: RemoteInfo | undefined;
  let timer: NodeJS.Timeout | undefined;
  const state = { junkSent: 0 };
  const junks = Array.from({ length: 64 }, junk);
  socket.on('message', (request, remote) => {
    client = remote;
    if (request[0] === 1) socket.send(accept(request), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    get junkSent() { return state.junkSent; },
    spray(on) {
      clearInterval(timer);
      if (!on) return;
      // 1,000 a second, caught up on each tick: a busy event loop sends late, not fewer.
      const from = performance.now();
      let sent = 0;
      timer = setInterval(() => {
        if (!client) return;
        const due = Math.floor((performance.now() - from) * JUNK_PER_SECOND / 1000);
        for (; sent < due; sent++, state.junkSent++) {
          // Made ahead, a new Identifier each: the responder's own event loop stays with its answers.
          const packet = junks[sent % junks.length];
          packet[1] = (packet[1] + 1) & 0xff;
          socket.send(packet, client.port, client.address);
        }
      }, 5);
    },
    close: () => {
      clearInterval(timer);
      return new Promise((resolve) => socket.close(() => resolve()));
    },
  };
}

const plan: LoadPlan = {
  own: [{ type: 1, values: ['flood-user'] }], attributes: [], requireMessageAuthenticator: false, tries: 3, timeoutMs: 3000,
  concurrency: 256, durationMs: RUN_MS,
};

describe('client engine: replies that do not verify, 1,000 a second', function () {
  this.timeout(60_000);
  let server: Responder;
  before(async () => { server = await responder(); });
  after(async () => { await server?.close(); });

  /** Authentications a second of a load run, and what its unanswered requests were called. */
  async function run(spray: boolean): Promise<{ rate: number; unanswered: RadiusClientOutcome[]; engine: ClientEngine }> {
    const engine = new ClientEngine();
    const unanswered: RadiusClientOutcome[] = [];
    server.spray(spray);
    try {
      const began = performance.now();
      await engine.load({ host: '127.0.0.1', port: server.port, secret: SECRET }, plan, { unanswered: (o) => { unanswered.push(o); } });
      const { successes } = engine.loadProgress();
      return { rate: successes / ((performance.now() - began) / 1000), unanswered, engine };
    } finally {
      server.spray(false);
      engine.close();
    }
  }

  it('keep a load run at its rate, every reply verified once, and never blame the secret', async () => {
    const quiet: number[] = [];
    const flooded: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      quiet.push((await run(false)).rate);
      const sentBefore = server.junkSent;
      const junked = await run(true);
      flooded.push(junked.rate);
      const junkSent = server.junkSent - sentBefore;
      const stats = junked.engine.counters();
      assert.ok(junkSent >= JUNK_PER_SECOND * RUN_MS / 1000 * 0.8, `junk sent: ${junkSent}`);
      // Each junk reply was seen and dropped (under a request's Identifier, or a stray).
      assert.ok(stats.repliesUnauthenticated + stats.repliesStray >= junkSent * 0.5, JSON.stringify({ junkSent, stats }));
      for (const outcome of junked.unanswered) {
        const error = failureOf(outcome, `127.0.0.1:${server.port}`);
        assert.ok(!(error instanceof RadiusAuthenticatorMismatchError), error.message);
      }
    }
    const median = (rates: number[]): number => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    // Before, 1,000 such replies a second left about 1 % of the rate.
    assert.ok(median(flooded) >= median(quiet) * 0.25, `${flooded.map(Math.round).join(', ')}/s under ${JUNK_PER_SECOND} ` +
      `unverifiable replies a second, ${quiet.map(Math.round).join(', ')}/s without`);
  });
});
