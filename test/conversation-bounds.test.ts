/**
 * Conversations always end: a round-trip bound that cannot be switched off, a user store that
 * never answers, a discarded request, and a RADIUS server flooded with new conversations.
 */
import { strict as assert } from 'assert';
import { getEventListeners } from 'events';
import {
  Authenticator, EapError, EapHost, EapTransport, TransportReply, authenticate, createAuthenticator,
} from '../lib';
import { RadiusServer } from '../lib/radius';
import { eapMessageAttributes, signAccessRequest } from './support/radius-oracle';
import { eapPacket, openSuiteHost } from './helpers';
import { oddStores } from './support/odd-store';
import { radiusServerProbe, waitFor } from './support/radius-probe';

/** An authenticator that never decides: it answers every response with another Identity request. */
function endlessTransport(): EapTransport & { requests: number } {
  let id = 0;
  const next = (): TransportReply => ({ kind: 'request', packet: eapPacket(1, (++id) & 0xff, 1) });
  const transport = {
    requests: 0,
    async begin() { transport.requests++; return next(); },
    async respond() {
      transport.requests++;
      // Far past any sane bound: without one, the conversation would run on for ever.
      return transport.requests > 5000 ? { kind: 'failure' as const, reason: 'test gave up' } : next();
    },
    async close() { /* nothing held */ },
  };
  return transport;
}

describe('conversation bounds', function () {
  this.timeout(30000);
  let host: EapHost;
  before(async () => { host = await openSuiteHost(); });
  after(async () => { await host.close(); });

  it('maxRoundTrips must be a positive integer: NaN, Infinity, "64x", 4.5, 0 and -1 are refused (item 2)', async () => {
    for (const bad of [NaN, Infinity, '64x', 4.5, 0, -1, 1e9]) {
      await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
      const transport = endlessTransport();
      await assert.rejects(authenticate({ session, transport, maxRoundTrips: bad as number }),
        (error: Error) => (error instanceof TypeError || error instanceof RangeError) && /maxRoundTrips/.test(error.message),
        `maxRoundTrips ${String(bad)}`);
      assert.equal(transport.requests, 0, 'refused before the conversation starts');
    }
    // The default bound holds against an authenticator that never decides.
    await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
    await assert.rejects(authenticate({ session, transport: endlessTransport(), maxRoundTrips: 10 }),
      (error: EapError) => error instanceof EapError && /after 10 round trips/.test(error.message));
  });

  describe('a user store whose lookup() never settles (item 3)', () => {
    const never = { lookup: () => new Promise<undefined>(() => undefined) };
    let stuck: Authenticator;
    before(async () => { stuck = await createAuthenticator({ users: never, lookupTimeoutMs: 300 }); });
    after(async () => { await stuck.close(); });

    it('an AbortSignal ends authenticate()', async () => {
      const patient = await createAuthenticator({ users: never });  // default 30 s lookup deadline
      try {
        await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
        const started = Date.now();
        await assert.rejects(authenticate({ session, transport: patient.createConversation(), signal: AbortSignal.timeout(200) }),
          (error: EapError) => error instanceof EapError && error.win32Error === 1223);
        assert.ok(Date.now() - started < 5000, 'ended by the signal, not by a deadline');
      } finally {
        await patient.close();
      }
    });

    it('without a signal, the lookup deadline fails the conversation with a clear error', async () => {
      await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
      await assert.rejects(authenticate({ session, transport: stuck.createConversation() }),
        (error: EapError) => error instanceof EapError && /user store did not answer within 300 ms/.test(error.message));
    });

    it('eaphost serve expires such a conversation after the idle window', async () => {
      const patient = await createAuthenticator({ users: never });
      const { server, replies, send, close } = await radiusServerProbe({ secret: 's', idleTimeoutMs: 300,
        authenticator: patient });
      try {
        // Identity response, then the MD5 response that makes the authenticator ask the store.
        const first = signAccessRequest(1, eapMessageAttributes(eapPacket(2, 0, 1, Buffer.from('a'))), Buffer.from('s'));
        send(first.datagram);
        await waitFor(() => replies.length === 1);
        const challenge = replies[0];
        const state = attribute(challenge, 24)!;
        const eap = attribute(challenge, 79)!;
        const response = eapPacket(2, eap[1], 4, Buffer.concat([Buffer.from([16]), Buffer.alloc(16, 7)]));
        const second = signAccessRequest(2, [...eapMessageAttributes(response), { type: 24, value: state }], Buffer.from('s'));
        send(second.datagram);
        await waitFor(() => server.stats.conversationsExpired === 1 && server.activeConversations === 0, 5000);
      } finally {
        await close();
        await patient.close();
      }
    });
  });

  it('a user store that throws or rejects, whatever with, fails that authentication at once, naming the store', async () => {
    let store = oddStores()[0].store;
    // A deadline long enough that waiting it out fails the test, not the case.
    const authenticator = await createAuthenticator({ users: { lookup: (identity) => store.lookup(identity) }, lookupTimeoutMs: 20_000 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const odd of oddStores()) {
        store = odd.store;
        await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
        const transport = authenticator.createConversation();
        await assert.rejects(authenticate({ session, transport }), (error: unknown) => {
          assert.ok((error instanceof EapError && error.call === 'UserStore.lookup' && error.win32Error === 1359) ||
            error instanceof TypeError, `${odd.name}: ${String(error)}`);
          const text = error instanceof EapError ? error.rootCause : (error as Error).message;
          assert.match(text, /^the user store/, odd.name);
          assert.match(text, odd.says, odd.name);
          return true;
        }, odd.name);
        assert.equal(transport.ended, true, `${odd.name}: the conversation is closed`);
      }
      // The authenticator serves the next one.
      store = { lookup: () => ({ password: 'b' }) };
      await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
      assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, true);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
      await authenticator.close();
    }
  });

  it('a discarded request does not end authenticate(): the retransmission is answered (item 8)', async () => {
    const authenticator = await createAuthenticator({ users: { a: { password: 'b' } }, retransmitTimeoutMs: 50 });
    try {
      const inner = authenticator.createConversation();
      let mangled = 0;
      // Delivers the first method request with a header length past the packet's end: framing
      // the peer must silently discard (RFC 3748 §4.1), after which the authenticator retransmits.
      const transport: EapTransport = {
        begin: (options) => inner.begin(options),
        respond: async (response, options) => {
          const reply = await inner.respond(response, options);
          if (reply.kind === 'request' && reply.packet && reply.packet[4] === 4 && mangled++ === 0) {
            const broken = Buffer.from(reply.packet);
            broken.writeUInt16BE(broken.length + 10, 2);
            return { kind: 'request', packet: broken };
          }
          return reply;
        },
        retransmission: (options) => inner.retransmission(options),
        close: () => inner.close(),
      };
      await using session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
      const result = await authenticate({ session, transport });
      assert.equal(mangled, 1);
      assert.equal(result.success, true);
    } finally {
      await authenticator.close();
    }
  });

  it('retransmission waits under one AbortSignal leave no abort listener behind on it', async () => {
    const authenticator = await createAuthenticator({ users: { a: { password: 'b' } }, retransmitTimeoutMs: 5, maxRetransmits: 8 });
    try {
      const conversation = authenticator.createConversation();
      const signal = new AbortController().signal;
      const first = await conversation.begin({ signal });
      assert.equal(first.kind, 'request');
      for (let i = 0; i < 5; i++) {
        const again = await conversation.retransmission({ signal });
        assert.equal(again.kind, 'request', `retransmission ${i}`);
        assert.ok(again.packet?.equals(first.packet as Buffer), `retransmission ${i} repeats the request`);
      }
      assert.equal(getEventListeners(signal, 'abort').length, 0, 'every wait took its listener away');
      await conversation.close();
    } finally {
      await authenticator.close();
    }
  });

  it('serve caps live conversations, evicting the least recently active idle one, and counts it (item 11)', async () => {
    const authenticator = await createAuthenticator({ users: { a: { password: 'b' } } });
    const { server, replies, send, close } = await radiusServerProbe({ secret: 's', maxConversations: 5, authenticator });
    try {
      for (let i = 0; i < 12; i++) {
        const { datagram } = signAccessRequest(i, eapMessageAttributes(eapPacket(2, 0, 1, Buffer.from('a'))), Buffer.from('s'));
        send(datagram);
        await waitFor(() => replies.length === i + 1);
      }
      assert.equal(server.stats.challenges, 12, 'every new conversation was answered');
      assert.equal(server.activeConversations, 5);
      assert.equal(server.stats.conversationsEvicted, 7);
    } finally {
      await close();
      await authenticator.close();
    }
    assert.throws(() => new RadiusServer({ port: 0, secret: 's', maxConversations: 0, authenticator }),
      TypeError);
  });
});

function attribute(datagram: Buffer, type: number): Buffer | undefined {
  for (let at = 20; at + 2 <= datagram.length;) {
    const length = datagram[at + 1];
    if (length < 2) return undefined;
    if (datagram[at] === type) return datagram.subarray(at + 2, at + length);
    at += length;
  }
  return undefined;
}
