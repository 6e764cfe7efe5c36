/**
 * EAP-TTLS phase 2 CHAP, MS-CHAP and inner EAP (EAP-MSCHAPv2, EAP-GTC, EAP-MD5), and the
 * Session-Id every TLS-based method releases.
 *
 * In-process: our TTLS peer against our TTLS authenticator over TLS 1.2 and 1.3; both must derive
 * the same MSK, EMSK and Session-Id, and a wrong password must fail on both sides. The Session-Id
 * over TLS 1.2 is checked against the hello randoms read off the wire (RFC 5216 §2.3:
 * Type ‖ client.random ‖ server.random).
 *
 * Against FreeRADIUS 3.2 (its default ttls configuration, this run's certificates): our TTLS
 * peer with CHAP, MS-CHAP and EAP-MSCHAPv2, where the truth is FreeRADIUS's Access-Accept and the
 * MS-MPPE keys in it, which must equal our MSK. And the other way round: wpa_supplicant's TTLS
 * peer (eapol_test) against our authenticator in `eaphost serve`, judged by eapol_test's own
 * "MPPE keys OK".
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { join } from 'path';
import { loadAuthenticatorMethod } from '../../lib/session/authenticator-method';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { assertSameKeysOnBothSides, connectionData, inProcessTlsMethods } from '../support/tls-fixtures';
import { startFreeRadius } from '../support/freeradius';
import { SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from '../radius/peer';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { assertAccessReject } from '../support/radius-verdict';

const SESSION_ID = 9004;

type Attribute = { type: number; value: Buffer };
const sessionIdOf = (attributes: Attribute[]) => attributes.find((a) => a.type === SESSION_ID)?.value;

/** The TLS records an EAP-TLS-framed packet carries (after Flags and the optional TLS Message Length). */
function tlsData(packet: Buffer): Buffer {
  const flags = packet[5];
  return packet.subarray((flags & 0x80) !== 0 ? 10 : 6, packet.readUInt16BE(2));
}

/** The 32-byte random of the Hello handshake message (type 1 ClientHello, 2 ServerHello) that opens
 *  this record stream: record header (5), handshake type (1) and length (3), version (2), random. */
function helloRandom(records: Buffer, handshakeType: number): Buffer {
  assert.equal(records[0], 22, 'a handshake record');
  assert.equal(records[5], handshakeType, `handshake message ${handshakeType}`);
  return records.subarray(11, 43);
}

describe('EAP-TTLS phase 2 CHAP, MS-CHAP and inner EAP, peer against authenticator in-process', function () {
  this.timeout(30000);
  const inProcess = inProcessTlsMethods();
  const { serverData, peerTunnel: peerData, run } = inProcess;

  const phases = [
    { name: 'CHAP', phase2: 2 },
    { name: 'MS-CHAP', phase2: 3 },
    { name: 'EAP-MSCHAPv2', phase2: 5, innerMethod: 26 },
    { name: 'EAP-GTC', phase2: 5, innerMethod: 6 },
    { name: 'EAP-MD5', phase2: 5, innerMethod: 4 },
  ];
  for (const version of ['1.2', '1.3'] as const) {
    for (const { name, phase2, innerMethod } of phases) {
      it(`${name} over TLS ${version}: success with the same MSK, EMSK and Session-Id on both sides`, async () => {
        const result = await run('ttls', peerData({ tlsMin: version, tlsMax: version, phase2, innerMethod }),
          serverData({ tlsMin: version, tlsMax: version, innerMethod }));
        assertSameKeysOnBothSides(result);
        const peerId = sessionIdOf(result.peer.attributes);
        assert.equal(peerId?.length, 65);
        assert.equal(peerId?.[0], 21);
        assert.deepEqual(peerId, sessionIdOf(result.authenticator.attributes));
      });

      it(`${name} over TLS ${version} with a wrong password fails on both sides`, async () => {
        const result = await run('ttls', peerData({ tlsMin: version, tlsMax: version, phase2, innerMethod }),
          serverData({ tlsMin: version, tlsMax: version, innerMethod }), { password: 'wrong' });
        assert.equal(result.authenticator.success, false);
        assert.equal(result.peer.success, false);
        assert.equal(sessionIdOf(result.peer.attributes ?? []), undefined, 'no Session-Id without success');
      });
    }
  }

  it('EAP-MSCHAPv2 inside TTLS with a wrong password: the peer reports the inner E=691', async () => {
    const result = await run('ttls', peerData({ phase2: 5, innerMethod: 26 }), serverData({ innerMethod: 26 }), { password: 'wrong' });
    assert.equal(result.peer.success, false);
    assert.equal(result.peer.error?.win32Error, 691);
  });

  // RFC 2759 §9.2: user "User", password "clientPass", NtPasswordHash 44EBBA8D5312B8D611474411F56989AE.
  for (const [name, phase2] of [['MS-CHAP', 3], ['CHAP', 2]] as const) {
    it(`${name} against a store that holds only the RFC 2759 NT hash: ${phase2 === 3 ? 'success' : 'failure (CHAP needs the password)'}`, async () => {
      await using peerMethod = await loadPeerMethod('ttls');
      await using authMethod = await loadAuthenticatorMethod('ttls');
      await using peer = await peerMethod.beginSession({ connectionData: peerData({ phase2 }), identity: 'User', password: 'clientPass' });
      await using auth = await authMethod.beginSession({ identity: 'anonymous', connectionData: serverData() });
      const ntHash = Buffer.from('44EBBA8D5312B8D611474411F56989AE', 'hex');
      const answer = Buffer.concat([Buffer.from([0, 0, 0x7e, 0xd9, 1, 18]), ntHash]);  // Vendor-Id 32473, type 1
      let request = (await auth.sendPacket(1)).packet;
      let id = 1;
      for (;;) {
        await peer.processRequestPacket(request);
        let action = await auth.receivePacket(await peer.getResponsePacket());
        while (action === 'respond') {
          const wanted = await auth.getAttributes();
          action = await auth.setAttributes(wanted.some((a) => a.type === 26) ? [{ type: 26, value: answer }] : []);
        }
        if (action !== 'send') break;
        request = (await auth.sendPacket(++id)).packet;
      }
      const authResult = await auth.getResult();
      assert.equal(authResult.success, phase2 === 3);
      const peerResult = await peer.getResult(authResult.success ? 'success' : 'failure');
      assert.equal(peerResult.success, phase2 === 3);
    });
  }

  it('inner EAP whose user the store does not know fails on both sides', async () => {
    const result = await run('ttls', peerData({ phase2: 5, innerMethod: 6 }), serverData({ innerMethod: 6 }),
      { identity: 'nobody', storedPassword: undefined });
    assert.equal(result.authenticator.success, false);
    assert.equal(result.peer.success, false);
  });

  for (const [method, type] of [['tls', 13], ['peap', 25], ['ttls', 21]] as const) {
    it(`${method} over TLS 1.2: Session-Id = ${type} ‖ client.random ‖ server.random, read off the wire`, async () => {
      const peerConnection = method === 'tls'
        ? connectionData({ ca: inProcess.pki.caPem, certificate: inProcess.pki.clientCert, privateKey: inProcess.pki.clientKey, tlsMax: '1.2' })
        : peerData({ tlsMax: '1.2', phase2: method === 'ttls' ? 1 : undefined });
      const result = await run(method, peerConnection, serverData({ tlsMax: '1.2' }));
      assert.equal(result.peer.success, true, result.peer.error?.message);
      // packets: Start, the peer's ClientHello, the server's first flight (ServerHello first), …
      const clientRandom = helloRandom(tlsData(result.packets[1]), 1);
      const serverRandom = helloRandom(tlsData(result.packets[2]), 2);
      const expected = Buffer.concat([Buffer.of(type), clientRandom, serverRandom]);
      assert.deepEqual(sessionIdOf(result.peer.attributes), expected);
      assert.deepEqual(sessionIdOf(result.authenticator.attributes), expected);
    });
  }

  for (const [method, type] of [['tls', 13], ['peap', 25]] as const) {
    it(`${method} over TLS 1.3: a 65-byte Session-Id starting with ${type}, equal on both sides, new per session`, async () => {
      const peerConnection = () => method === 'tls'
        ? connectionData({ ca: inProcess.pki.caPem, certificate: inProcess.pki.clientCert, privateKey: inProcess.pki.clientKey, tlsMin: '1.3' })
        : peerData({ tlsMin: '1.3' });
      const first = await run(method, peerConnection(), serverData({ tlsMin: '1.3' }));
      const second = await run(method, peerConnection(), serverData({ tlsMin: '1.3' }));
      const id = sessionIdOf(first.peer.attributes);
      assert.equal(id?.length, 65);
      assert.equal(id?.[0], type);
      assert.deepEqual(id, sessionIdOf(first.authenticator.attributes));
      assert.notDeepEqual(id, sessionIdOf(second.peer.attributes));
      // On TLS 1.3 the Session-Id comes from the exporter, not from the hello randoms.
      assert.notDeepEqual(id?.subarray(1, 33), helloRandom(tlsData(first.packets[1]), 1));
    });
  }
});

describe('EAP-TTLS phase 2 against FreeRADIUS: CHAP, MS-CHAP and EAP-MSCHAPv2', function () {
  this.timeout(60_000);
  const SECRET = 'ttls-phase2-secret';
  const USER = { identity: 'tanja', password: 'ph4se two pässword' };
  for (const version of ['1.2', '1.3'] as const) {
    describe(`TLS ${version}`, () => {
      const fixture = interopServer((certificates) => startFreeRadius({
        secret: SECRET, users: [USER], tlsMaxVersion: version,
        certificates,
      }));
      const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });
      const tls = (extra: object) => ({
        ca: fixture.pki.ca, serverName: SERVER_NAME, tls: { min: version, max: version }, anonymousIdentity: 'anonymous', ...extra,
      });

      for (const [name, options] of [
        ['CHAP', { phase2: 'chap' }],
        ['MS-CHAP', { phase2: 'mschap' }],
        ['EAP-MSCHAPv2', { phase2: 'eap', innerMethod: 'mschapv2' }],
      ] as const) {
        it(`TTLS-${name}: Access-Accept, MSK = the MPPE keys`, async () => {
          const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
            { method: 'ttls', tls: tls(options) });
          assertTlsKeysFromServer(result, 21, fixture.server.log);
        });

        it(`TTLS-${name} with a wrong password: Access-Reject, no MSK`, async () => {
          const result = await authenticateOverRadius(endpoint(), USER.identity, 'not the password',
            { method: 'ttls', tls: tls(options) });
          assertAccessReject(result, fixture.server.log().slice(-3000));
        });
      }
    });
  }
});

describe('eapol_test\'s EAP-TTLS peer against `eaphost serve`: CHAP, MS-CHAP and inner EAP', function () {
  this.timeout(90_000);
  const SECRET = 'ttls-phase2-serve-secret';

  it('CHAP, MS-CHAP and EAP-MSCHAPv2 inside TTLS: "MPPE keys OK: 1"; wrong passwords fail; a Nak to EAP-GTC is followed', async () => {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-ttls-phase2');
    const usersFile = join(dir.path, 'users.json');
    writeUsers(usersFile);
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'ttls',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey]);
    const port = serve.port;
    try {
      const target = { host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 10, method: 'TTLS' as const, identity: 'wanda' };
      for (const phase2 of ['auth=CHAP', 'auth=MSCHAP', 'autheap=MSCHAPV2']) {
        const run = await runEapolTest({ ...target, password: 'wanda pa55', phase2 });
        assert.equal(run.success, true, `${phase2}:\n${run.stdout.slice(-3000)}\n${serve.output().slice(-2000)}`);
        assert.equal(run.mppeKeysOk, 1, `${phase2}: eapol_test compared its MSK with our MS-MPPE keys`);
        assert.equal(run.mppeKeysMismatch, 0, phase2);
      }
      for (const phase2 of ['auth=CHAP', 'auth=MSCHAP', 'autheap=MSCHAPV2']) {
        const wrong = await runEapolTest({ ...target, password: 'wanda pa56', phase2 });
        assert.equal(wrong.success, false, phase2);
        assert.match(wrong.stdout, /Access-Reject/, phase2);
      }
      // With no inner method configured, the proposed EAP-MSCHAPv2 gives way to a Nak for EAP-GTC
      // (a configured inner method is never left: see interop-variants.test.ts).
      const nak = await runEapolTest({ ...target, password: 'wanda pa55', phase2: 'autheap=GTC' });
      assert.equal(nak.success, true, nak.stdout.slice(-3000));
      const nakWrong = await runEapolTest({ ...target, password: 'wanda pa56', phase2: 'autheap=GTC' });
      assert.equal(nakWrong.success, false);
      assert.match(nakWrong.stdout, /Access-Reject/);
      assert.doesNotMatch(serve.output(), /wanda pa55/, 'never prints the password');
    } finally {
      await serve.stop();
      dir.remove();
      pki.remove();
    }
  });
});

function writeUsers(file: string): void {
  fs.writeFileSync(file, JSON.stringify({ wanda: { password: 'wanda pa55' } }));
}
