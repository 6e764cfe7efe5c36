/**
 * The RADIUS engine's MD5 and HMAC-MD5 (native/radius/wire/radius_md5.h) are the platform's crypto
 * (nettle here, CNG in the Windows build): held to every MD5 test vector of RFC 1321 §A.5 and
 * every HMAC-MD5 test case of RFC 2202 §2, through the engine's own classes (the test-only
 * digest probes, in a child process started with EAPHOST_CONTRACT_PROBE=1), each input also cut
 * in two at several places as the engine's callers hash a packet in pieces.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';

const distLib = path.join(__dirname, '..', 'lib');

// RFC 1321 §A.5, the test suite's seven strings and digests.
const MD5_VECTORS: Array<[string, string]> = [
  ['', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ['abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
  ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
];

// RFC 2202 §2, test cases 1 to 7 (key, data, digest).
const HMAC_VECTORS: Array<[Buffer, Buffer, string]> = [
  [Buffer.alloc(16, 0x0b), Buffer.from('Hi There'), '9294727a3638bb1c13f48ef8158bfc9d'],
  [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), '750c783e6ab0b503eaa86e310a5db738'],
  [Buffer.alloc(16, 0xaa), Buffer.alloc(50, 0xdd), '56be34521d144c88dbb8c733f0e8b3f6'],
  [Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)), Buffer.alloc(50, 0xcd), '697eaf0aca3a3aea3a75164746ffaa79'],
  [Buffer.alloc(16, 0x0c), Buffer.from('Test With Truncation'), '56461ef2342edc00f9bab995690efd4c'],
  [Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd'],
  [Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
    '6f630fad67cda0ee1fb1f562db3aa53e'],
];

interface Computed {
  md5: string[][];
  hmac: string[][];
}

/** Each input's digest from the engine's classes, once per cut (0, middle, whole length). */
function computeInChild(): Computed {
  const script = `
    const { binding } = require(${JSON.stringify(path.join(distLib, 'native'))});
    const md5 = ${JSON.stringify(MD5_VECTORS.map(([text]) => text))};
    const hmac = ${JSON.stringify(HMAC_VECTORS.map(([key, data]) => [key.toString('hex'), data.toString('hex')]))};
    const cuts = (size) => [0, size >> 1, size];
    const out = {
      md5: md5.map((text) => { const data = Buffer.from(text);
        return cuts(data.length).map((cut) => binding.radiusMd5Probe({ data, cut }).toString('hex')); }),
      hmac: hmac.map(([k, d]) => { const key = Buffer.from(k, 'hex'), data = Buffer.from(d, 'hex');
        return cuts(data.length).map((cut) => binding.radiusHmacMd5Probe({ key, data, cut }).toString('hex')); }),
    };
    process.stdout.write(JSON.stringify(out));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, EAPHOST_CONTRACT_PROBE: '1' }, encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Computed;
}

describe("the RADIUS engine's MD5 and HMAC-MD5 (the platform's crypto)", function () {
  this.timeout(30000);
  let computed: Computed;
  before(() => { computed = computeInChild(); });

  it('the vectors are the RFCs\' (node:crypto agrees with every one)', () => {
    for (const [text, digest] of MD5_VECTORS) assert.equal(crypto.createHash('md5').update(text).digest('hex'), digest);
    for (const [key, data, digest] of HMAC_VECTORS) assert.equal(crypto.createHmac('md5', key).update(data).digest('hex'), digest);
  });

  it('MD5: all seven RFC 1321 §A.5 vectors, however the input is cut', () => {
    assert.equal(computed.md5.length, 7);
    MD5_VECTORS.forEach(([text, digest], i) => assert.deepEqual(computed.md5[i], [digest, digest, digest], `MD5("${text}")`));
  });

  it('HMAC-MD5: all seven RFC 2202 test cases, however the data is cut', () => {
    assert.equal(computed.hmac.length, 7);
    HMAC_VECTORS.forEach(([, , digest], i) => assert.deepEqual(computed.hmac[i], [digest, digest, digest], `test case ${i + 1}`));
  });
});
