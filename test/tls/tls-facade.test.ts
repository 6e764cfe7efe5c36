/**
 * The TLS methods through the public API: beginSession's TLS options, the no-silent-trust rule,
 * and the embedded authenticator's ephemeral certificate. The judges are node:crypto's X.509
 * parser (what the authenticator says to trust is a real CA that issued its certificate) and
 * the peer's own refusal of a certificate from a CA it was not told to trust.
 */
import { strict as assert } from 'assert';
import { X509Certificate } from 'crypto';
import { EapError, authenticate, createAuthenticator, openEapHost } from '../../lib';
import { createEphemeralCa, processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, SERVER_NAME, makeInteropPki } from '../support/interop-pki';

describe('TLS methods in the facade', function () {
  this.timeout(30_000);

  it('beginSession refuses a TLS method with no trusted CA and no insecure, before any native call', async () => {
    const host = await openEapHost();
    await host.close();
    // A closed host fails every native call with an EapError: a TypeError means the check came first.
    for (const method of ['peap', 'ttls'] as const) {
      await assert.rejects(host.beginSession({ method, identity: 'a', password: 'b' }),
        (e: unknown) => e instanceof TypeError && /no trusted CA configured: give ca .* or insecure: true/.test(e.message));
    }
    await assert.rejects(host.beginSession({ method: 'peap', identity: 'a', password: 'b', insecure: true }),
      (e: unknown) => e instanceof EapError, 'with insecure: true it goes on (here: to the closed host)');
  });

  it('TLS options are refused for methods that take none, and malformed ones are TypeErrors', async () => {
    const host = await openEapHost();
    try {
      await assert.rejects(host.beginSession({ method: 'mschapv2', identity: 'a', password: 'b', insecure: true }),
        /insecure applies to the shipped TLS methods/);
      await assert.rejects(host.beginSession({ method: 'peap', identity: 'a', password: 'b', ca: 'nope' }), TypeError);
      await assert.rejects(host.beginSession({ method: 'peap', identity: 'a', password: 'b', insecure: true,
        tls: { max: '1.1' as '1.2' } }), TypeError);
      await assert.rejects(host.beginSession({ method: 'ttls', identity: 'a', password: 'b', insecure: true,
        phase2: 'eap-tls' as 'pap' }), TypeError);
      await assert.rejects(host.beginSession({ method: 'tls', identity: 'a', insecure: true }), /client certificate/);
      await assert.rejects(host.beginSession({ method: 'peap', identity: 'a', password: 'b', insecure: true,
        connectionData: Buffer.from('eCFG\x01') }), /connectionData or the TLS options, not both/);
    } finally {
      await host.close();
    }
  });

  it('a connection data blob whose ticketKey (type 20) is not 64 bytes is refused by the method module, naming the field', async () => {
    const host = await openEapHost();
    try {
      // Written by hand, past the encoder that refuses it: "eCFG", version 1, flags insecure, then type 20 with 63 bytes.
      const blob = Buffer.concat([Buffer.from('eCFG\x01', 'latin1'), Buffer.from([3, 0, 0, 0, 4, 0, 0, 0, 1]),
        Buffer.from([20, 0, 0, 0, 63]), Buffer.alloc(63, 1)]);
      const refused = async () => {
        const session = await host.beginSession({ method: 'peap', identity: 'a', password: 'b', connectionData: blob });
        await session.endSession();
      };
      await assert.rejects(refused(), (e: unknown) => e instanceof EapError && /ticketKey field of 63 bytes; it must be 64/.test(e.message));
    } finally {
      await host.close();
    }
  });

  it('createAuthenticator with TLS methods and no certificate serves an ephemeral one, and says what to trust', async () => {
    await using authenticator = await createAuthenticator({ methods: ['tls', 'md5'], users: {} });
    assert.ok(authenticator.trust);
    const ca = new X509Certificate(authenticator.trust.ca);
    assert.equal(ca.ca, true);
    assert.equal(authenticator.trust.serverName, processEphemeralCa().serverName);
    const server = new X509Certificate(processEphemeralCa().server.cert);
    assert.ok(server.verify(ca.publicKey), 'the CA to trust issued the server certificate');
    assert.equal(server.checkHost(authenticator.trust.serverName), authenticator.trust.serverName);
  });

  it('createAuthenticator: TLS options with no TLS method, or a key without its certificate, are TypeErrors', async () => {
    const other = createEphemeralCa();
    await assert.rejects(createAuthenticator({ methods: ['mschapv2'], users: {}, cert: other.server.cert, key: other.server.key }),
      /no TLS method/);
    await assert.rejects(createAuthenticator({ methods: ['tls'], users: {}, key: other.server.key }), /give cert too/);
    await assert.rejects(createAuthenticator({ methods: ['tls'], users: {}, cert: other.server.cert, key: other.server.key }),
      /issues client certificates/);
    await assert.rejects(createAuthenticator({ methods: ['peap'], users: {}, ca: other.ca }), /ca applies to EAP-TLS/);
    await assert.rejects(createAuthenticator({ methods: ['peap'], users: {}, phase2: 'pap' }), /phase2 applies to EAP-TTLS/);
    await using given = await createAuthenticator({ methods: ['tls'], users: {}, cert: other.server.cert, key: other.server.key,
      ca: other.ca });
    assert.equal(given.trust, undefined, 'a given certificate: nothing ephemeral to trust');
  });

  it('EAP-TLS in-process: the peer trusting authenticator.trust succeeds with a 64-byte MSK both sides hold', async () => {
    await using host = await openEapHost();
    await using authenticator = await createAuthenticator({ methods: ['tls'], users: {} });
    const client = processEphemeralCa().issueClient('carol');
    await using session = await host.beginSession({ method: 'tls', identity: 'carol', ...client, ...authenticator.trust });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.method, 13);
    assert.equal(result.msk?.length, 64);
    assert.equal(result.emsk?.length, 64);
    assert.equal(result.mppeKeysMatch, true, 'the authenticator released the same MSK');
  });

  it('EAP-TLS over TLS 1.2: result.sessionId is 0x0D ‖ client random ‖ server random as the hellos carried them (RFC 5216)', async () => {
    await using host = await openEapHost();
    await using authenticator = await createAuthenticator({ methods: ['tls'], users: {}, tls: { max: '1.2' } });
    const client = processEphemeralCa().issueClient('carol');
    await using session = await host.beginSession({ method: 'tls', identity: 'carol', ...client, ...authenticator.trust });
    // The first EAP-TLS packet each way that starts a TLS handshake record holds its hello.
    const randoms: { client?: Buffer; server?: Buffer } = {};
    const helloRandom = (packet: Buffer): { type: number; random: Buffer } | undefined => {
      if (packet.length < 6 || packet[4] !== 13) return undefined;
      const tls = packet.subarray(6 + (packet[5] & 0x80 ? 4 : 0));
      if (tls.length < 43 || tls[0] !== 0x16 || (tls[5] !== 1 && tls[5] !== 2)) return undefined;
      return { type: tls[5], random: Buffer.from(tls.subarray(11, 43)) };
    };
    const result = await authenticate({ session, transport: authenticator.createConversation(), onPacket: (_, packet) => {
      const hello = helloRandom(packet);
      if (hello?.type === 1) randoms.client ??= hello.random;
      if (hello?.type === 2) randoms.server ??= hello.random;
    } });
    assert.equal(result.success, true, result.reason);
    assert.ok(randoms.client && randoms.server, 'both hellos seen');
    assert.deepEqual(result.sessionId, Buffer.concat([Buffer.of(13), randoms.client, randoms.server]));
  });

  for (const max of ['1.2', '1.3'] as const) {
    it(`EAP-TLS in-process over TLS ${max}: a peer trusting another CA refuses the ephemeral certificate, typed, naming the chain refused`, async () => {
      await using host = await openEapHost();
      await using authenticator = await createAuthenticator({ methods: ['tls'], users: {}, tls: { max } });
      const client = processEphemeralCa().issueClient('carol');
      await using session = await host.beginSession({ method: 'tls', identity: 'carol', ...client, ca: createEphemeralCa().ca });
      const error = await authenticate({ session, transport: authenticator.createConversation() }).then(
        () => assert.fail('the peer accepted a certificate from a CA it does not trust'), (e: unknown) => e);
      assert.ok(error instanceof EapError && error.reasonCode === 0x80420400 && /unknown CA/.test(error.rootCause), String(error));
      // Typed: this side's own refusal, with the chain the server sent — the one the authenticator's CA signed for its name.
      assert.equal(error.tls?.reason, 'local-failure');
      assert.equal(error.tls?.alert?.local, true);
      const chain = error.tls?.serverCertificates ?? [];
      assert.equal(chain.length, 1, 'the ephemeral server certificate alone');
      const leaf = new X509Certificate(chain[0]);
      const ca = new X509Certificate(authenticator.trust!.ca);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the chain named is the one the authenticator\'s CA signed');
      assert.equal(leaf.checkHost(authenticator.trust!.serverName), authenticator.trust!.serverName);
      // The session keeps the refusal as its result: a failure, the same error and chain.
      const result = await session.getResult('fromMethod');
      assert.equal(result.success, false);
      assert.equal(result.error?.reasonCode, 0x80420400);
      assert.ok(result.tls?.serverCertificates?.[0]?.equals(chain[0]), 'the result names the same certificate');
    });
  }

  it('createAuthenticator with given certificates (openssl-made): peers trusting that CA and name succeed', async () => {
    const pki = await makeInteropPki();
    try {
      await using host = await openEapHost();
      await using authenticator = await createAuthenticator({ methods: ['peap', 'tls'], users: { fay: { password: 'fay pa55' } },
        cert: pki.serverCert, key: pki.serverKey, ca: pki.ca });
      assert.equal(authenticator.trust, undefined);
      await using peap = await host.beginSession({ method: 'peap', identity: 'fay', password: 'fay pa55', ca: pki.ca,
        serverName: SERVER_NAME });
      const viaPeap = await authenticate({ session: peap, transport: authenticator.createConversation() });
      assert.equal(viaPeap.success, true, viaPeap.reason);
      assert.equal(viaPeap.mppeKeysMatch, true);
      await using tls = await host.beginSession({ method: 'tls', identity: CLIENT_IDENTITY, cert: pki.clientCert,
        key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME });
      const viaTls = await authenticate({ session: tls, transport: authenticator.createConversation() });
      assert.equal(viaTls.success, true, viaTls.reason);
      assert.equal(viaTls.method, 13, 'the peer\'s Nak took the authenticator from PEAP to EAP-TLS');
      // A peer that trusts only the ephemeral CA refuses this authenticator's certificate.
      await using wary = await host.beginSession({ method: 'peap', identity: 'fay', password: 'fay pa55',
        ca: processEphemeralCa().ca });
      await assert.rejects(authenticate({ session: wary, transport: authenticator.createConversation() }), /unknown CA/);
    } finally {
      pki.remove();
    }
  });

  for (const [method, extra] of [['peap', {}], ['ttls', { phase2: 'pap' }], ['ttls', { phase2: 'mschapv2' }]] as const) {
    it(`${method}${'phase2' in extra ? `-${extra.phase2}` : ''} in-process with no files: the ephemeral CA, MSK both sides hold`, async () => {
      await using host = await openEapHost();
      await using authenticator = await createAuthenticator({ methods: [method], users: { dave: { password: 'dave pa55' } } });
      await using session = await host.beginSession({ method, identity: 'dave', password: 'dave pa55', ...extra,
        ...authenticator.trust });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.msk?.length, 64);
      assert.equal(result.mppeKeysMatch, true);
      await using wrongSession = await host.beginSession({ method, identity: 'dave', password: 'dave pa56', ...extra,
        ...authenticator.trust });
      const wrong = await authenticate({ session: wrongSession, transport: authenticator.createConversation() });
      assert.equal(wrong.success, false);
      assert.equal(wrong.msk, undefined);
    });
  }
});
