import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { createAuthenticator, Authenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { EapolTestOptions, EapolTestResult, runEapolTest } from '../support/eapol-test';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';

/**
 * Which steps of a TLS-based conversation the RADIUS engine hands to a step thread
 * (native/radius/wire/eap_tls_records.h): those that answer a TLS handshake message sent in
 * the clear, and every step of EAP-TLS, which has no tunnel. The truth is the
 * handshake's flights (RFC 5246 §7.3, RFC 8446 §2) as wpa_supplicant's eapol_test sends them: a
 * full TLS 1.2 handshake brings two client flights in handshake records (the ClientHello; the
 * ClientKeyExchange with its ChangeCipherSpec and Finished), TLS 1.3 one (the ClientHello; its
 * Finished is encrypted, in an application_data record), and everything else a PEAP or EAP-TTLS
 * client sends is the tunnel's. Each authentication must succeed with eapol_test's MPPE keys
 * matching ours, wherever its steps ran.
 */

const SECRET = 'step-weight-secret';
const USER = { identity: 'stepper', password: 'stepper pw' };
const TLS12 = 'tls_disable_tlsv1_3=1';
const TLS13 = 'tls_disable_tlsv1_3=0';
const RUNS = 3;

describe('RADIUS engine: TLS steps handed to a step thread only where a handshake message is in the clear', function () {
  this.timeout(120_000);
  let pki: InteropPki | undefined;
  // The server under test: an embedded authenticator serving the three methods, no resumption.
  let rig: { authenticator: Authenticator; server: RadiusServer; port: number; caCert: string; kept?: RadiusServer;
    keptPort?: number; } | undefined;

  before(async () => {
    pki = await makeInteropPki();
    const authenticator = await createAuthenticator({ methods: ['peap', 'ttls', 'tls'], users: { [USER.identity]: USER },
      cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, tlsSessionLifetime: 0 });
    // Two step threads whatever the machine (one CPU would start none: test/radius/step-threads.test.ts),
    // every heavy step handed to them however idle the engine (keepStepsBelow 0): the weighing is the test.
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, stepThreads: 2, keepStepsBelow: 0 });
    rig = { authenticator, server, port: (await server.listen()).port, caCert: pki.files.ca };
    // The default: an idle engine keeps PEAP's and EAP-TTLS's handshake steps (radius_lane_headroom.h).
    rig.kept = new RadiusServer({ port: 0, secret: SECRET, authenticator, stepThreads: 2 });
    rig.keptPort = (await rig.kept.listen()).port;
  });
  after(async () => {
    await rig?.kept?.close();
    await rig?.server.close();
    await rig?.authenticator.close();
    pki?.remove();
  });

  /** `runs` authentications one after another: the steps handed over and the Access-Challenges sent meanwhile. */
  async function measure(options: Omit<EapolTestOptions, 'host' | 'port' | 'secret'>, runs = RUNS, keeping = false) {
    const { caCert } = rig!;
    const server = keeping ? rig!.kept! : rig!.server;
    const port = keeping ? rig!.keptPort! : rig!.port;
    const before = { handedOver: server.stepPool.handedOver, kept: server.stepPool.kept, challenges: server.stats.challenges };
    for (let i = 0; i < runs; i++) {
      const result: EapolTestResult = await runEapolTest({ host: '127.0.0.1', port, secret: SECRET, caCert,
        serverName: SERVER_NAME, timeoutSeconds: 20, ...options });
      assert.equal(result.success, true, result.stdout.slice(-3000));
      assert.equal(result.mppeKeysOk, 1, 'eapol_test compared its MSK with our MS-MPPE keys');
    }
    return { handedOver: server.stepPool.handedOver - before.handedOver, kept: server.stepPool.kept - before.kept,
      challenges: server.stats.challenges - before.challenges };
  }

  it('PEAP over TLS 1.2: the ClientHello and the ClientKeyExchange flight, of 7 steps or more', async () => {
    const { handedOver, kept, challenges } = await measure({ method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2', phase1: TLS12 });
    assert.equal(handedOver, 2 * RUNS);
    assert.equal(kept, 0);
    assert.ok(challenges >= 7 * RUNS, `${challenges} Access-Challenges`);
  });

  it('PEAP over TLS 1.3: the ClientHello alone', async () => {
    const { handedOver, challenges } = await measure({ method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2', phase1: TLS13 });
    assert.equal(handedOver, RUNS);
    assert.ok(challenges >= 6 * RUNS, `${challenges} Access-Challenges`);
  });

  it('EAP-TTLS over TLS 1.2: the same two flights', async () => {
    const { handedOver } = await measure({ method: 'TTLS', ...USER, phase2: 'autheap=MSCHAPV2', phase1: TLS12 });
    assert.equal(handedOver, 2 * RUNS);
  });

  it('PEAP in 100-byte fragments: every fragment of a client flight, and its acknowledgements on the engine thread', async () => {
    // Each client flight spans fragments; the server's flights are acknowledged by empty responses.
    const { handedOver, challenges } = await measure({ method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2', phase1: TLS12,
      fragmentSize: 100 }, 1);
    assert.ok(handedOver > 2, `${handedOver} steps handed over: the ClientHello's fragments each`);
    assert.ok(handedOver < challenges, `${handedOver} of ${challenges}: the acknowledgements stay on the engine thread`);
  });

  it('by default an idle engine keeps PEAP\'s and EAP-TTLS\'s two heavy steps itself, hands none over', async () => {
    // Idle for its first quarter-second window: an engine keeps nothing before it has measured one.
    await delay(300);
    const peap = await measure({ method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2', phase1: TLS12 }, RUNS, true);
    assert.deepEqual({ handedOver: peap.handedOver, kept: peap.kept }, { handedOver: 0, kept: 2 * RUNS });
    const ttls = await measure({ method: 'TTLS', ...USER, phase2: 'autheap=MSCHAPV2', phase1: TLS12 }, RUNS, true);
    assert.deepEqual({ handedOver: ttls.handedOver, kept: ttls.kept }, { handedOver: 0, kept: 2 * RUNS });
  });

  const eapTlsWith = (phase1: string): Omit<EapolTestOptions, 'host' | 'port' | 'secret'> => ({ method: 'TLS',
    identity: CLIENT_IDENTITY, password: '', clientCert: pki!.files.clientCert, privateKey: pki!.files.clientKey,
    privateKeyPassword: CLIENT_KEY_PASSWORD, phase1 });

  // No OCSP responder asked: checking the client's certificate waits on nothing but the CPU. With
  // one, EAP-TLS is never kept (test/radius/ocsp-step-pool.test.ts, ocsp-responder.test.ts: a held
  // question would hold the engine's thread).
  it('by default an idle engine keeps EAP-TLS\'s steps too when no OCSP responder is asked, hands none over', async () => {
    for (const phase1 of [TLS12, TLS13]) {
      const { handedOver, kept, challenges } = await measure(eapTlsWith(phase1), RUNS, true);
      // Every Access-Request but the first two: the EAP-Response/Identity, which starts the
      // conversation, and the Nak turning down PEAP, proposed first, for EAP-TLS (no TLS step).
      assert.deepEqual({ handedOver, kept }, { handedOver: 0, kept: challenges - RUNS }, phase1);
    }
  });

  it('EAP-TLS: every step, TLS 1.3\'s encrypted client flight too: it has no tunnel, each message is the handshake\'s', async () => {
    for (const phase1 of [TLS12, TLS13]) {
      const { handedOver, challenges } = await measure(eapTlsWith(phase1));
      assert.equal(handedOver, challenges - RUNS, phase1);
    }
  });
});
