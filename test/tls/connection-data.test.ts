import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authenticatorConnectionData, encodeConnectionData, peerConnectionData,
} from '../../lib/core/connection-data';
import { makeTempDir, runProgram } from '../support/programs';

/**
 * Connection data version 1 (the TLS methods' configuration blob). The expected bytes are
 * written out by hand from the format's table; certificates and keys come from the openssl
 * command, not from this library.
 */

/** One element as the format's table lays it out: type (1 byte), length (4 bytes, big-endian), value. */
function tlv(type: number, value: Buffer): Buffer {
  const n = value.length;
  return Buffer.concat([Buffer.from([type, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]), value]);
}

const HEADER = Buffer.from([0x65, 0x43, 0x46, 0x47, 0x01]); // "eCFG", version 1

describe('connection data (TLS methods configuration, version 1)', function () {
  this.timeout(30_000);
  let ca: string;
  let cert: string;
  let key: string;
  let encryptedKey: string;
  let otherKey: string;
  let dir: ReturnType<typeof makeTempDir>;

  before(async () => {
    dir = makeTempDir('connection-data');
    const openssl = async (...args: string[]): Promise<void> => {
      const run = await runProgram('openssl', args, { cwd: dir.path });
      assert.equal(run.code, 0, run.stderr);
    };
    await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
      '-out', 'ca.pem', '-subj', '/CN=test CA', '-days', '1');
    await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client.key',
      '-out', 'client.pem', '-subj', '/CN=client', '-days', '1');
    await openssl('pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-encrypted.key', '-passout', 'pass:whatever');
    await openssl('genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.key');
    const read = (file: string) => readFileSync(join(dir.path, file), 'utf8');
    ca = read('ca.pem');
    cert = read('client.pem');
    key = read('client.key');
    encryptedKey = read('client-encrypted.key');
    otherKey = read('other.key');
  });
  after(() => dir?.remove());

  it('tlsSessionLifetime: type 13, 4 bytes big-endian; the same CA and chain again give the same bytes', () => {
    for (let run = 0; run < 2; ++run) {
      assert.deepEqual(authenticatorConnectionData('peap', { cert, key, tlsSessionLifetime: 86_400 }),
        Buffer.concat([HEADER, tlv(8, Buffer.from(cert.trimEnd() + '\n')), tlv(9, Buffer.from(key.trimEnd() + '\n')),
          tlv(13, Buffer.from([0, 1, 0x51, 0x80]))]));
    }
    assert.throws(() => authenticatorConnectionData('peap', { cert, key, tlsSessionLifetime: 604_801 }), RangeError);
    assert.throws(() => peerConnectionData('peap', { ca, tlsSessionLifetime: 0 } as never), /tlsSessionLifetime does not apply/);
  });

  it('tlsTicketKey: type 20, the 64 bytes as given; another size, a peer, TTLS or no resumption refused', () => {
    const ticketKey = Buffer.alloc(64, 0xa5);
    assert.deepEqual(authenticatorConnectionData('tls', { cert, key, ca, tlsTicketKey: ticketKey }),
      Buffer.concat([HEADER, tlv(1, Buffer.from(ca.trimEnd() + '\n')), tlv(8, Buffer.from(cert.trimEnd() + '\n')),
        tlv(9, Buffer.from(key.trimEnd() + '\n')), tlv(20, ticketKey)]));
    assert.deepEqual(ticketKey, Buffer.alloc(64, 0xa5), "the caller's key is the caller's to wipe");
    assert.throws(() => authenticatorConnectionData('peap', { cert, key, tlsTicketKey: Buffer.alloc(32) }),
      (error: Error) => error instanceof RangeError && /tlsTicketKey is 32 bytes; a session ticket key is 64 random bytes/.test(error.message));
    assert.throws(() => authenticatorConnectionData('peap', { cert, key, tlsTicketKey: 'x'.repeat(64) as never }), TypeError);
    assert.throws(() => authenticatorConnectionData('peap', { cert, key, tlsTicketKey: ticketKey, tlsSessionLifetime: 0 }),
      /tlsTicketKey needs resumption/);
    assert.throws(() => authenticatorConnectionData('ttls', { cert, key, tlsTicketKey: ticketKey }), /tlsTicketKey does not apply/);
    assert.throws(() => peerConnectionData('peap', { ca, tlsTicketKey: ticketKey } as never), /tlsTicketKey does not apply/);
  });

  it('a refused certificate is refused every time, after a good one was accepted', () => {
    const broken = ca.replace(/\n[A-Za-z0-9+/]{8}/, '\nAAAAAAAA');
    assert.ok(peerConnectionData('peap', { ca }).length > 0);
    for (let run = 0; run < 2; ++run) {
      assert.throws(() => peerConnectionData('peap', { ca: broken }), /certificate 1 is not a valid X\.509 certificate/);
    }
  });

  it('encodes every field as type | 4-byte length | value, in the documented encodings', () => {
    const blob = encodeConnectionData({
      ca, serverName: ['radius.example.com', 'radius2.example.com'], requireCryptoBinding: true,
      tls: { min: '1.2', max: '1.3' }, innerMethod: 'gtc', phase2: 'eap', anonymousIdentity: 'anonymous@example.com',
    });
    const expected = Buffer.concat([
      HEADER,
      tlv(1, Buffer.from(ca.trim() + '\n', 'latin1')),
      tlv(2, Buffer.from('radius.example.com')),
      tlv(2, Buffer.from('radius2.example.com')),
      tlv(3, Buffer.from([0, 0, 0, 2])),
      tlv(4, Buffer.from([0x03, 0x03])),
      tlv(5, Buffer.from([0x03, 0x04])),
      tlv(6, Buffer.from([6])),
      tlv(7, Buffer.from([5])),
      tlv(11, Buffer.from('anonymous@example.com')),
    ]);
    assert.deepEqual(blob, expected);
  });

  it('insecure is bit 0 of the flags; inner methods and phase 2 take their EAP / RFC 5281 numbers', () => {
    assert.deepEqual(encodeConnectionData({ insecure: true }), Buffer.concat([HEADER, tlv(3, Buffer.from([0, 0, 0, 1]))]));
    const code = (options: object) => encodeConnectionData(options).subarray(10);
    assert.deepEqual(code({ innerMethod: 'mschapv2' }), Buffer.from([26]));
    assert.deepEqual(code({ innerMethod: 'md5' }), Buffer.from([4]));
    assert.deepEqual(['pap', 'chap', 'mschap', 'mschapv2', 'eap'].map((phase2) => code({ phase2 })[0]), [1, 2, 3, 4, 5]);
  });

  it('privateAttributes is bit 12 of the flags, an authenticator\'s option only', () => {
    assert.deepEqual(encodeConnectionData({ privateAttributes: true }), Buffer.concat([HEADER, tlv(3, Buffer.from([0, 0, 0x10, 0]))]));
    assert.deepEqual(encodeConnectionData({ privateAttributes: false }), HEADER);
    const blob = authenticatorConnectionData('peap', { cert, key, privateAttributes: true });
    assert.ok(blob.includes(tlv(3, Buffer.from([0, 0, 0x10, 0]))), 'the authenticator\'s blob carries flags 0x1000');
    assert.throws(() => peerConnectionData('peap', { ca, privateAttributes: true }), /privateAttributes/);
    assert.throws(() => encodeConnectionData({ privateAttributes: 1 as unknown as boolean }), TypeError);
  });

  it('carries the client certificate, its key and the key password (type 8, 9, 10)', () => {
    const blob = peerConnectionData('tls', { ca, cert, key: encryptedKey, keyPassword: 'whatever' });
    const expected = Buffer.concat([
      HEADER,
      tlv(1, Buffer.from(ca.trim() + '\n')),
      tlv(8, Buffer.from(cert.trim() + '\n')),
      tlv(9, Buffer.from(encryptedKey.trim() + '\n')),
      tlv(10, Buffer.from('whatever')),
    ]);
    assert.deepEqual(blob, expected);
  });

  it('keeps only the CERTIFICATE blocks of a bundle (text between blocks is dropped)', () => {
    const blob = encodeConnectionData({ ca: `Bag Attributes\n subject=/CN=x\n${ca}\nsome comment\n${cert}` });
    assert.deepEqual(blob, Buffer.concat([HEADER, tlv(1, Buffer.from(`${ca.trim()}\n${cert.trim()}\n`))]));
    assert.deepEqual(encodeConnectionData({ ca: Buffer.from(ca) }), encodeConnectionData({ ca }));
  });

  it('refuses a peer with no trusted CA unless insecure is explicit, and both at once', () => {
    for (const method of ['peap', 'ttls'] as const) {
      assert.throws(() => peerConnectionData(method, {}), (e: Error) => e instanceof TypeError && /no trusted CA/.test(e.message));
      assert.ok(peerConnectionData(method, { insecure: true }).length > 5);
      assert.throws(() => peerConnectionData(method, { ca, insecure: true }), TypeError);
      assert.throws(() => peerConnectionData(method, { insecure: false }), /no trusted CA/);
    }
    assert.throws(() => peerConnectionData('tls', { ca }), /client certificate/);
  });

  it('rejects malformed input with TypeError / RangeError', () => {
    const cases: [object, RegExp, ErrorConstructor][] = [
      [{ ca: 'not a pem' }, /no "-----BEGIN CERTIFICATE-----"/, TypeError],
      [{ ca: '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n' }, /not base64/, TypeError],
      [{ ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }, /not a valid X.509/, TypeError],
      [{ ca: 42 }, /PEM text/, TypeError],
      [{ serverName: 'bad name!' }, /not a DNS name/, TypeError],
      [{ serverName: [] }, /non-empty/, TypeError],
      [{ serverName: 'a'.repeat(254) }, /1\.\.253/, RangeError],
      [{ tls: { max: '1.1' } }, /'1\.2' \| '1\.3'/, TypeError],
      [{ tls: { min: '1.3', max: '1.2' } }, /above/, RangeError],
      [{ innerMethod: 'pap' }, /'mschapv2' \| 'gtc' \| 'md5'/, TypeError],
      [{ phase2: 'eap-tls' }, /'pap' \| 'chap' \| 'mschap' \| 'mschapv2' \| 'eap'/, TypeError],
      [{ insecure: 'yes' }, /boolean/, TypeError],
      [{ anonymousIdentity: '' }, /1\.\.253/, RangeError],
      [{ anonymousIdentity: 'a\0b' }, /NUL/, TypeError],
      [{ cert }, /private key/, TypeError],
      [{ key }, /certificate/, TypeError],
      [{ cert, key: cert }, /exactly one private key/, TypeError],
      [{ cert, key: encryptedKey }, /encrypted: give keyPassword/, TypeError],
      [{ cert, key: encryptedKey, keyPassword: 'wrong' }, /cannot be read with this keyPassword/, TypeError],
      [{ cert, key: otherKey }, /does not belong/, TypeError],
      [{ pkcs12: Buffer.from('MII') }, /DER/, TypeError],
      [{ ca: `${ca}\n`.repeat(200) }, /over 65536/, RangeError],
    ];
    for (const [options, message, type] of cases) {
      assert.throws(() => encodeConnectionData(options), (e: Error) => e instanceof type && message.test(e.message),
        JSON.stringify(options).slice(0, 80));
    }
  });

  it('still refuses a wrong key or password for a certificate whose right key was accepted before', () => {
    // The accepted check is remembered: it must be remembered for that key, password and
    // certificate only.
    assert.ok(encodeConnectionData({ cert, key }).length > 5);
    assert.ok(encodeConnectionData({ cert, key }).length > 5);
    assert.throws(() => encodeConnectionData({ cert, key: otherKey }), /does not belong/);
    assert.ok(encodeConnectionData({ cert, key: encryptedKey, keyPassword: 'whatever' }).length > 5);
    assert.throws(() => encodeConnectionData({ cert, key: encryptedKey, keyPassword: 'wrong' }), /cannot be read with this keyPassword/);
    assert.throws(() => encodeConnectionData({ cert, key: encryptedKey }), /encrypted: give keyPassword/);
  });

  it('names options that do not apply to a method or side', () => {
    assert.throws(() => peerConnectionData('peap', { insecure: true, phase2: 'pap' }), /phase2 does not apply to the peap peer/);
    assert.throws(() => peerConnectionData('ttls', { insecure: true, innerMethod: 'gtc' }), /phase2 is 'eap'/);
    assert.ok(peerConnectionData('ttls', { insecure: true, phase2: 'eap', innerMethod: 'gtc' }));
    assert.throws(() => authenticatorConnectionData('peap', { ca }), /ca does not apply to the peap authenticator/);
    assert.throws(() => authenticatorConnectionData('peap', {}), /needs its certificate/);
    assert.throws(() => authenticatorConnectionData('tls', { cert, key }), /issues client certificates/);
    assert.ok(authenticatorConnectionData('tls', { cert, key, ca }));
  });

  it('wipes the key password from its intermediate Buffers (the caller owns the returned blob)', () => {
    const fills: Buffer[] = [];
    const original = Buffer.prototype.fill;
    Buffer.prototype.fill = function (this: Buffer, ...args: Parameters<Buffer['fill']>) {
      fills.push(this);
      return original.apply(this, args);
    } as Buffer['fill'];
    let blob: Buffer;
    try {
      blob = encodeConnectionData({ cert, key: encryptedKey, keyPassword: 'whatever' });
    } finally {
      Buffer.prototype.fill = original;
    }
    const password = Buffer.from('whatever');
    assert.ok(blob.includes(password), 'the blob carries the password');
    const wiped = fills.filter((buffer) => buffer !== blob);
    assert.ok(wiped.length >= 3, 'the password, the key and their TLVs are wiped');
    for (const buffer of wiped) assert.ok(buffer.every((byte) => byte === 0));
  });
});
