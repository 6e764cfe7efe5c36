import { strict as assert } from 'node:assert';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { RadiusClient, RadiusEapTransport, RadiusTimeoutError } from '../../lib/radius';
import { RadiusAuthenticatorMismatchError } from '../../lib/radius/errors';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { identityResponse, md5ChallengeResponse } from './md5-oracle';
import { signedReply } from '../support/das-packets';

/**
 * The RADIUS client on its own against FreeRADIUS, with EAP-MD5 computed by node:crypto: these
 * prove multiplexing, identifier management, retransmission and the dropping of bad replies.
 */
const SECRET = 'client-test-secret';

async function md5OverRadius(transport: RadiusEapTransport, identity: string, password: string): Promise<string> {
  let reply = await transport.begin();
  reply = await transport.respond(identityResponse(reply.packet![1], identity));
  while (reply.kind === 'request') {
    reply = await transport.respond(md5ChallengeResponse(reply.packet!, password));
  }
  await transport.close();
  return reply.kind;
}

/** A loopback UDP relay in front of the real server that can drop or damage datagrams. */
async function startRelay(target: number, policy: {
  dropRequest?: (datagram: Buffer, seen: number) => boolean;
  /** Datagrams sent to the client just before the genuine reply, from the relay's own port. */
  damageReply?: (datagram: Buffer) => Buffer[];
  /** Sends a copy of each genuine reply to the client from another port, just before the genuine one. */
  stray?: Socket;
  /** Holds every request until this many different ones have come, then sends them all on. */
  holdUntil?: number;
}): Promise<{ port: number; requests: Buffer[]; close(): Promise<void> }> {
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  const requests: Buffer[] = [];
  const seen = new Map<string, number>();
  let client: RemoteInfo | undefined;
  let held: Buffer[] | undefined = policy.holdUntil === undefined ? undefined : [];
  front.on('message', (datagram, remote) => {
    client = remote;
    requests.push(datagram);
    const key = datagram.toString('hex');
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (policy.dropRequest?.(datagram, count)) return;
    if (held === undefined) {
      back.send(datagram, target, '127.0.0.1');
      return;
    }
    held.push(datagram);
    if (seen.size < policy.holdUntil!) return;
    for (const waiting of held) back.send(waiting, target, '127.0.0.1');
    held = undefined;
  });
  back.on('message', (datagram) => {
    if (!client) return;
    for (const damaged of policy.damageReply?.(datagram) ?? []) front.send(damaged, client.port, client.address);
    policy.stray?.send(datagram, client.port, client.address);
    front.send(datagram, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: front.address().port,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => back.close(() => resolve()));
    },
  };
}

describe('RADIUS client against FreeRADIUS (EAP-MD5 computed by node:crypto)', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  const users = Array.from({ length: 300 }, (_, i) => ({ identity: `user${i}`, password: `pw-${i}` }));

  before(async () => {
    server = await startFreeRadius({ secret: SECRET, users, ipv6: true });
  });
  after(async () => {
    await server?.stop();
  });

  it('multiplexes 300 concurrent conversations over one socket without reusing an outstanding identifier', async () => {
    // The relay answers nothing until 256 requests are out, so the 44 conversations after them
    // find every identifier taken, however fast FreeRADIUS answers on the day.
    const relay = await startRelay(server.port, { holdUntil: 256 });
    const client = new RadiusClient({ timeoutMs: 10_000, tries: 3 });
    try {
      const outcomes = await Promise.all(users.map((user) => md5OverRadius(
        new RadiusEapTransport({ server: { host: '127.0.0.1', port: relay.port, secret: SECRET }, client }),
        user.identity, user.password)));
      assert.deepEqual(new Set(outcomes), new Set(['success']));
      if (process.env.RADIUS_STATS) console.log(client.stats);
      assert.ok(client.stats.identifierWaits > 0, 'more than 256 requests were outstanding at once');
      assert.equal(client.stats.repliesUnauthenticated, 0);
      assert.equal(client.stats.repliesAccepted, 600, JSON.stringify(client.stats));
    } finally {
      await client.close();
      await relay.close();
    }
  });

  it('works over IPv6 (::1)', async () => {
    const kind = await md5OverRadius(new RadiusEapTransport({
      server: { host: '::1', port: server.port6!, secret: SECRET } }), 'user1', 'pw-1');
    assert.equal(kind, 'success');
  });

  it('retransmits the identical datagram when a request is lost (RFC 5080)', async () => {
    const relay = await startRelay(server.port, { dropRequest: (_datagram, seen) => seen === 1 });
    const client = new RadiusClient({ timeoutMs: 1500, tries: 3, secretProbe: false });
    try {
      const kind = await md5OverRadius(new RadiusEapTransport({
        server: { host: '127.0.0.1', port: relay.port, secret: SECRET }, client }), 'user2', 'pw-2');
      assert.equal(kind, 'success');
      assert.equal(client.stats.retransmissions, 2, 'each of the two requests was sent twice');
      assert.equal(relay.requests.length, 4);
      assert.deepEqual(relay.requests[0], relay.requests[1]);
      assert.deepEqual(relay.requests[2], relay.requests[3]);
    } finally {
      await client.close();
      await relay.close();
    }
  });

  /** An Access-Accept to `request` under `identifier`, signed as RFC 2865 §3 and RFC 3579 §3.2
   *  say, by node:crypto alone: what a server with an Identifier bug sends. */
  function acceptFor(request: Buffer, identifier: number, secret: string): Buffer {
    return signedReply(request, 2, secret, identifier);
  }

  async function withAcceptingServer(shift: number, body: (port: number) => Promise<void>): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (request, remote) => {
      if (request[0] === 1) socket.send(acceptFor(request, (request[1] + shift) & 0xff, SECRET), remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      await body(socket.address().port);
    } finally {
      socket.close();
    }
  }

  const userName = [{ type: 1, value: Buffer.from('stray-user') }];

  it('a reply under the right Identifier, signed by node:crypto, is accepted (the responder below is sound)', async () => {
    await withAcceptingServer(0, async (port) => {
      const client = new RadiusClient({ timeoutMs: 2000, tries: 2 });
      try {
        const { reply } = await client.accessRequest({ host: '127.0.0.1', port, secret: SECRET }, userName);
        assert.equal(reply.code, 2);
      } finally {
        await client.close();
      }
    });
  });

  it('a reply under another Identifier is a stray reply, dropped and said so: never a wrong secret', async () => {
    await withAcceptingServer(1, async (port) => {
      const client = new RadiusClient({ timeoutMs: 900, tries: 3 });
      try {
        // Two requests at once: each one's reply lands on the other's Identifier, and the secret
        // probe's too, where it used to fail the Response Authenticator check.
        const outcomes = await Promise.allSettled([0, 1].map(() =>
          client.accessRequest({ host: '127.0.0.1', port, secret: SECRET }, userName, { secretProbe: true })));
        for (const outcome of outcomes) {
          assert.equal(outcome.status, 'rejected');
          const error = (outcome as PromiseRejectedResult).reason;
          assert.ok(!(error instanceof RadiusAuthenticatorMismatchError), `blamed the secret: ${error.message}`);
          assert.ok(error instanceof RadiusTimeoutError, String(error));
          // Verified once, under its own Identifier: a reply there that does not verify is
          // counted as such, one under an Identifier with nothing out as stray.
          assert.ok(error.strayReplies + error.unverifiedReplies >= 1, error.message);
          assert.match(error.message, /another Identifier|did not verify/);
          assert.doesNotMatch(error.message, /check the shared secret/);
        }
        assert.ok(client.stats.repliesStray >= 1, JSON.stringify(client.stats));
      } finally {
        await client.close();
      }
    });
  });

  it('drops and counts forged, malformed and unexpected replies, and still accepts the genuine one', async () => {
    const stray = createSocket('udp4');
    await new Promise<void>((resolve) => stray.bind(0, '127.0.0.1', () => resolve()));
    const relay = await startRelay(server.port, {
      damageReply: (datagram) => {
        const forged = Buffer.from(datagram);
        forged[forged.length - 1] ^= 0x55; // breaks both authenticators
        const malformed = datagram.subarray(0, 19); // shorter than the 20-octet header
        const unexpected = Buffer.from(datagram);
        unexpected[1] ^= 0x80; // an Identifier with nothing outstanding
        return [forged, malformed, unexpected];
      },
      stray, // the genuine reply again, from a port the request did not go to
    });
    const client = new RadiusClient({ timeoutMs: 3000, tries: 3 });
    try {
      const kind = await md5OverRadius(new RadiusEapTransport({
        server: { host: '127.0.0.1', port: relay.port, secret: SECRET }, client }), 'user3', 'pw-3');
      assert.equal(kind, 'success');
      assert.equal(client.stats.repliesUnauthenticated, 2, 'one forged copy per round trip');
      assert.equal(client.stats.repliesMalformed, 2, 'one truncated copy per round trip');
      assert.equal(client.stats.repliesStray, 4, 'per round trip: the wrong Identifier and the stray port');
      assert.equal(client.stats.repliesUnexpected, 0);
      assert.equal(client.stats.repliesAccepted, 2);
      assert.equal(client.stats.retransmissions, 0, 'the bad copies did not stand in for the genuine reply');
    } finally {
      await client.close();
      await new Promise<void>((resolve) => stray.close(() => resolve()));
      await relay.close();
    }
  });
});
