import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { EapError } from '../../lib';
import { loadAuthenticatorMethod } from '../../lib/session/authenticator-method';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { connectionData, makePki, Pki } from '../support/tls-fixtures';

/**
 * Malformed EAP-TLS framing and MS-CHAPv2 packets through the public method API: each is a
 * typed EapError or a discard, reached at once, never a crash, a hang or unbounded buffering.
 */

const L = 0x80;
const M = 0x40;
const S = 0x20;
const LIMIT = 65536;

function eap(code: number, identifier: number, type: number, typeData: Buffer): Buffer {
  const packet = Buffer.alloc(5 + typeData.length);
  packet[0] = code;
  packet[1] = identifier;
  packet.writeUInt16BE(packet.length, 2);
  packet[4] = type;
  typeData.copy(packet, 5);
  return packet;
}

function tlsData(flags: number, messageLength: number | undefined, body: Buffer): Buffer {
  const length = Buffer.alloc(messageLength === undefined ? 0 : 4);
  if (messageLength !== undefined) length.writeUInt32BE(messageLength >>> 0);
  return Buffer.concat([Buffer.from([flags]), length, body]);
}

describe('TLS methods: malformed EAP-TLS framing is a typed error, never a crash or a hang', function () {
  this.timeout(30_000);
  let pki: Pki;
  before(() => { pki = makePki(); });
  after(() => { fs.rmSync(pki.dir, { recursive: true, force: true }); });

  for (const [method, type] of [['tls', 13], ['peap', 25], ['ttls', 21]] as const) {
    const peerData = () => connectionData(method === 'tls'
      ? { insecure: true, certificate: pki.clientCert, privateKey: pki.clientKey } : { insecure: true });

    /** Feeds the Start and then `requests` to a fresh peer; the error the first refused one raised. */
    async function peerRefusal(requests: Buffer[]): Promise<unknown> {
      await using peerMethod = await loadPeerMethod(method);
      await using session = await peerMethod.beginSession({ connectionData: peerData(), identity: 'a', password: 'b' });
      for (const request of [eap(1, 1, type, Buffer.from([S])), ...requests]) {
        try {
          const output = await session.processRequestPacket(request);
          if (output.action === 'send') await session.getResponsePacket();
        } catch (error) {
          return error;
        }
      }
      return undefined;
    }

    const cases: Array<[string, () => Buffer[], RegExp]> = [
      ['a TLS Message Length over 64 KiB', () => [eap(1, 2, type, tlsData(L | M, 0x7fffffff, Buffer.alloc(100)))],
        /announces a TLS message of 2147483647 bytes; the limit is 65536/],
      ['the L flag without room for the length', () => [eap(1, 2, type, Buffer.from([L, 0, 1]))], /no room for the TLS Message Length/],
      ['more data than the TLS Message Length', () => [eap(1, 2, type, tlsData(L, 10, Buffer.alloc(100)))],
        /past its declared length of 10 bytes/],
      ['a last fragment short of the TLS Message Length', () => [eap(1, 2, type, tlsData(L, 1000, Buffer.alloc(100)))],
        /ends a TLS message of 100 bytes that declared 1000/],
      ['M fragments without L past 64 KiB', () => Array.from({ length: 70 }, (_, i) =>
        eap(1, (i + 2) & 255, type, tlsData(M, undefined, Buffer.alloc(1000)))), /past the limit of 65536 bytes/],
      ['no Flags octet', () => [eap(1, 2, type, Buffer.alloc(0))], /no Flags octet/],
      ['a second Start', () => [eap(1, 2, type, Buffer.from([S]))], /started twice/],
    ];
    for (const [name, requests, message] of cases) {
      it(`${method} peer: ${name}`, async () => {
        const error = await peerRefusal(requests());
        assert.ok(error instanceof EapError, `an EapError, got ${String(error)}`);
        assert.match(error.message, message);
        assert.equal(error.win32Error, 13);
      });
    }

    // The description byte of an alert is the other side's to choose; GnuTLS names only those
    // it knows. A TLS 1.2 record: fatal (2), description 204, none that TLS defines.
    const alert = (description: number) => [eap(1, 2, type, tlsData(0, undefined,
      Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description])))];
    it(`${method} peer: a fatal alert in the handshake is a typed failure naming it, known or not`, async () => {
      const unknown = await peerRefusal(alert(204));
      assert.ok(unknown instanceof EapError, `an EapError, got ${String(unknown)}`);
      assert.match(unknown.message, /handshake failed: the other side sent an alert of unknown description 204/);
      // Typed as well (the cause GUID, read by the addon): the description byte sent, its RFC 8446 §6 name.
      assert.deepEqual(unknown.tls, { reason: 'alert-received', alert: { local: false, code: 204, name: 'alert_204' } });
      const known = await peerRefusal(alert(40));
      assert.ok(known instanceof EapError, `an EapError, got ${String(known)}`);
      assert.match(known.message, /handshake failed: the other side sent the alert "Handshake failed"/);
      assert.deepEqual(known.tls, { reason: 'alert-received', alert: { local: false, code: 40, name: 'handshake_failure' } });
    });

    it(`${method} authenticator: M fragments without L end in a failed result before 64 KiB are buffered`, async () => {
      await using authMethod = await loadAuthenticatorMethod(method);
      await using session = await authMethod.beginSession({ identity: 'anonymous', connectionData: connectionData({
        certificate: pki.serverCert, privateKey: pki.serverKey, ca: pki.caPem }) });
      let action = '';
      let sent = 0;
      for (let id = 1; action !== 'result' && sent * 1000 <= LIMIT + 1000; id++, sent++) {
        await session.sendPacket(id);
        action = await session.receivePacket(eap(2, id, type, tlsData(M, undefined, Buffer.alloc(1000))));
      }
      assert.equal(action, 'result');
      assert.equal((await session.getResult()).success, false);
    });
  }
});

describe('EAP-MSCHAPv2: a wrong MS-Length is discarded on both sides', function () {
  function msChapV2(opCode: number, msId: number, msLength: number, body: Buffer): Buffer {
    const data = Buffer.alloc(4 + body.length);
    data[0] = opCode;
    data[1] = msId;
    data.writeUInt16BE(msLength, 2);
    body.copy(data, 4);
    return data;
  }
  const challenge = Buffer.concat([Buffer.from([16]), Buffer.alloc(16, 7), Buffer.from('server')]);

  for (const msLength of [0, 5, 4 + challenge.length + 1, 0xffff]) {
    it(`peer: a Challenge with MS-Length ${msLength} (the packet holds ${4 + challenge.length})`, async () => {
      await using peerMethod = await loadPeerMethod('mschapv2');
      await using session = await peerMethod.beginSession({ identity: 'a', password: 'b' });
      const output = await session.processRequestPacket(eap(1, 1, 26, msChapV2(1, 1, msLength, challenge)));
      assert.equal(output.action, 'discard');
    });
  }

  it('authenticator: a Response with an MS-Length past the packet', async () => {
    await using authMethod = await loadAuthenticatorMethod('mschapv2');
    await using session = await authMethod.beginSession({ identity: 'a' });
    const { packet } = await session.sendPacket(1);
    const body = Buffer.concat([Buffer.from([49]), Buffer.alloc(49), Buffer.from('a')]);
    assert.equal(await session.receivePacket(eap(2, 1, 26, msChapV2(2, packet[6], 0xffff, body))), 'discard');
  });
});
