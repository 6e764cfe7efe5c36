/**
 * Revocation by CRL, peer against authenticator in-process, TLS 1.2 and 1.3: the EAP-TLS
 * authenticator refuses a client certificate its CA's CRL (made by `openssl ca` for the run)
 * revokes, naming subject, serial, reason and date, and tells the peer with a certificate_revoked
 * alert; the peer refuses a server certificate the CRL revokes. A CRL that cannot answer (stale,
 * or from another CA) refuses too, unless a stale one is allowed explicitly; a CRL replaced on
 * disk is read at the next handshake. test/radius/revocation-peers.test.ts repeats these
 * against eapol_test and hostapd.
 */
import { strict as assert } from 'assert';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { AuthenticatorMethodSession } from '../../lib/session/authenticator-method';
import { PeerMethodSession } from '../../lib/session/peer-method';
import { authenticatorConnectionData, peerConnectionData } from '../../lib/core/connection-data';
import { REVOCATION_SERVER_NAME, RevocationCertificate, RevocationPki, makeRevocationPki } from '../support/revocation-pki';
import { converse, keysOf, withSessionPair } from '../support/tls-fixtures';

// GnuTLS's name of alert 44, certificate_revoked.
const REVOKED_ALERT = 'Certificate was revoked';
const EAP_E_SERVER_CERT_REVOKED = 0x80420203;
const EAP_E_USER_CERT_REVOKED = 0x80420103;
const CERT_E_REVOKED = 0x800b010c;
const CRYPT_E_NO_REVOCATION_CHECK = 0x80092012;
const CRYPT_E_REVOCATION_OFFLINE = 0x80092013;

interface Sides {
  server?: RevocationCertificate;
  client?: RevocationCertificate;
  authenticatorCrl?: { crl: string | string[]; allowStaleCrl?: boolean };
  peerCrl?: { crl: string | string[] };
  version?: '1.2' | '1.3';
  method?: 'tls' | 'peap';
}

describe('revocation by CRL, peer against authenticator in-process', function () {
  this.timeout(60000);
  let pki: RevocationPki;
  before(async () => { pki = await makeRevocationPki(); });
  after(() => pki?.remove());

  async function run(sides: Sides) {
    const method = sides.method ?? 'tls';
    const tls = { min: sides.version ?? '1.3', max: sides.version ?? '1.3' } as const;
    const server = sides.server ?? pki.server.good;
    const client = sides.client ?? pki.client.good;
    return await withSessionPair(method,
      peerConnectionData(method, {
        ca: pki.ca, serverName: REVOCATION_SERVER_NAME, tls, ...sides.peerCrl,
        ...(method === 'tls' ? { cert: client.cert, key: client.key } : {}),
      }),
      authenticatorConnectionData(method, {
        cert: server.cert, key: server.key, tls, ...(method === 'tls' ? { ca: pki.ca, ...sides.authenticatorCrl } : {}),
      }),
      (peer, auth) => converse(peer, auth, 'secret'));
  }

  /** The alert the authenticator refused the client with, as the peer heard it (its typed
   *  error names it); the peer stops there, before any EAP-Failure. */
  async function refusedByAuthenticator(sides: Sides): Promise<string> {
    try {
      await run(sides);
    } catch (error) {
      assert.ok(error instanceof EapError, String(error));
      const alert = /the other side sent the alert "([^"]+)"/.exec(error.rootCause);
      assert.ok(alert, error.rootCause);
      return alert[1];
    }
    assert.fail('the authenticator accepted the client');
  }

  /** The peer's refusal of the server's certificate. */
  async function refusedByPeer(sides: Sides): Promise<EapError> {
    try {
      await run({ method: 'peap', ...sides });
    } catch (error) {
      assert.ok(error instanceof EapError, String(error));
      return error;
    }
    assert.fail('the peer accepted the server certificate');
  }

  for (const version of ['1.2', '1.3'] as const) {
    it(`EAP-TLS over TLS ${version}: a revoked client certificate is refused, and the peer hears certificate_revoked`, async () => {
      assert.equal(await refusedByAuthenticator({ client: pki.client.revoked, authenticatorCrl: { crl: pki.crlPem }, version }),
        REVOKED_ALERT);
    });

    it(`EAP-TLS over TLS ${version}: the good client certificate passes the same CRL, keys equal on both sides`, async () => {
      const result = await run({ authenticatorCrl: { crl: pki.crlPem }, version });
      assert.equal(result.authenticator.success, true, result.peer.error?.message);
      assert.deepEqual(keysOf(result.peer.attributes).msk, keysOf(result.authenticator.attributes).msk);
    });

    it(`PEAP over TLS ${version}: the peer refuses a server certificate the CRL revokes, and accepts the good one`, async () => {
      const error = await refusedByPeer({ server: pki.server.revoked, peerCrl: { crl: pki.crlDer }, version });
      assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_REVOKED);
      assert.equal(error.win32Error >>> 0, CERT_E_REVOKED);
      assert.ok(error.rootCause.includes(`serial ${pki.server.revoked.serial}`), error.rootCause);
      assert.match(error.rootCause, /server's certificate was refused: CN=radius\.revocation\.invalid .* was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: keyCompromise\) by the CRL of CN=eaphost revocation CA/);
      const good = await run({ method: 'peap', peerCrl: { crl: pki.crlDer }, version });
      assert.equal(good.peer.success, true, good.peer.error?.message);
    });
  }

  /** Runs EAP-TLS until the authenticator's alert (the peer stops at it), acknowledges the alert
   *  as eapol_test does (an empty EAP-TLS response), and returns the authenticator's result. */
  async function refusedAfterAlert(peer: PeerMethodSession, auth: AuthenticatorMethodSession) {
    let id = 1;
    let request = (await auth.sendPacket(id)).packet;
    for (let round = 0; round < 20; ++round) {
      try {
        await peer.processRequestPacket(request);
      } catch {
        break;
      }
      const action = await auth.receivePacket(await peer.getResponsePacket());
      if (action !== 'send') assert.fail(`the authenticator answered ${action} before refusing`);
      request = (await auth.sendPacket(++id)).packet;
    }
    assert.equal(await auth.receivePacket(Buffer.from([2, id, 0, 6, 13, 0])), 'result');
    return await auth.getResult();
  }

  it('the authenticator method says which client certificate it refused and why, as a typed EapError', async () => {
    const client = pki.client.revoked;
    const result = await withSessionPair('tls',
      peerConnectionData('tls', { ca: pki.ca, serverName: REVOCATION_SERVER_NAME, cert: client.cert, key: client.key }),
      authenticatorConnectionData('tls', { cert: pki.server.good.cert, key: pki.server.good.key, ca: pki.ca, crl: pki.crlPem,
        privateAttributes: true }),
      refusedAfterAlert);
    assert.equal(result.success, false);
    assert.ok(result.error instanceof EapError, String(result.error));
    assert.equal(result.error.win32Error >>> 0, CERT_E_REVOKED);
    assert.equal(result.error.reasonCode >>> 0, EAP_E_USER_CERT_REVOKED);
    assert.ok(result.error.rootCause.includes(`serial ${client.serial}`), result.error.rootCause);
    assert.match(result.error.rootCause, /client's certificate was refused: CN=client@revocation\.invalid .* was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: superseded\)/);
    // The refusal travels as the error only: no attribute of the conversation is left behind.
    assert.deepEqual(result.attributes, []);
  });

  it('a host that did not ask for the private attributes (EAPHost under NPS) gets the failure code, not the words', async () => {
    const client = pki.client.revoked;
    const result = await withSessionPair('tls',
      peerConnectionData('tls', { ca: pki.ca, serverName: REVOCATION_SERVER_NAME, cert: client.cert, key: client.key }),
      authenticatorConnectionData('tls', { cert: pki.server.good.cert, key: pki.server.good.key, ca: pki.ca, crl: pki.crlPem }),
      refusedAfterAlert);
    assert.equal(result.success, false);
    assert.equal(result.failureReason >>> 0, EAP_E_USER_CERT_REVOKED);
    assert.equal(result.error, undefined);
    assert.deepEqual(result.attributes, []);
  });

  it('a CRL in DER reads as the PEM one does', async () => {
    assert.equal(await refusedByAuthenticator({ client: pki.client.revoked, authenticatorCrl: { crl: pki.crlDer } }), REVOKED_ALERT);
  });

  it('the authenticator: a stale CRL refuses even the good certificate, unless allowed explicitly', async () => {
    assert.equal(await refusedByAuthenticator({ authenticatorCrl: { crl: pki.staleCrl } }), 'Certificate is bad');
    const allowed = await run({ authenticatorCrl: { crl: pki.staleCrl, allowStaleCrl: true } });
    assert.equal(allowed.authenticator.success, true, allowed.peer.error?.message);
    // Allowed, a stale CRL still revokes what it lists.
    assert.equal(await refusedByAuthenticator({ client: pki.client.revoked,
      authenticatorCrl: { crl: pki.staleCrl, allowStaleCrl: true } }), REVOKED_ALERT);
  });

  it('the peer: a stale CRL is refused in words, and so is a CRL of another CA (fail closed)', async () => {
    const stale = await refusedByPeer({ peerCrl: { crl: pki.staleCrl } });
    assert.equal(stale.win32Error >>> 0, CRYPT_E_REVOCATION_OFFLINE);
    assert.match(stale.rootCause, /the CRL of CN=eaphost revocation CA \S+ is stale \(its nextUpdate was \d{4}-/);
    const other = await refusedByPeer({ peerCrl: { crl: pki.otherCaCrl } });
    assert.equal(other.win32Error >>> 0, CRYPT_E_NO_REVOCATION_CHECK);
    assert.match(other.rootCause, /no configured CRL is signed by its issuer CN=eaphost revocation CA/);
    const both = await run({ method: 'peap', peerCrl: { crl: [pki.otherCaCrl, pki.crlPem] } });
    assert.equal(both.peer.success, true, both.peer.error?.message);
  });

  it('a CRL replaced on disk is read at the next handshake, with no new configuration', async () => {
    const live = join(pki.dir, 'live-crl.pem');
    copyFileSync(pki.crlPem, live);
    const before = await run({ authenticatorCrl: { crl: live } });
    assert.equal(before.authenticator.success, true, before.peer.error?.message);
    await pki.newCrl(live, pki.client.good.certFile);
    assert.equal(await refusedByAuthenticator({ authenticatorCrl: { crl: live } }), REVOKED_ALERT);
  });

  it('bad revocation options are typed errors before anything runs', () => {
    assert.throws(() => authenticatorConnectionData('tls', { cert: pki.server.good.cert, key: pki.server.good.key, ca: pki.ca,
      crl: join(pki.dir, 'absent.pem') }), /crl .*absent\.pem: cannot read it \(ENOENT\)/);
    assert.throws(() => authenticatorConnectionData('tls', { cert: pki.server.good.cert, key: pki.server.good.key, ca: pki.ca,
      crlChain: true }), /crlChain needs crl/);
    assert.throws(() => authenticatorConnectionData('peap', { cert: pki.server.good.cert, key: pki.server.good.key, crl: pki.crlPem }),
      /crl does not apply to the peap authenticator/);
    assert.throws(() => peerConnectionData('peap', { insecure: true, crl: pki.crlPem }), /crl is checked only against a trusted CA/);
  });
});
