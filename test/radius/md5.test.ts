import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { hmacMd5, Md5, md5 } from '../../lib/radius/md5';

/** RFC 1321 §A.5's test suite and RFC 2202 §2's HMAC-MD5 cases, then node:crypto as the oracle. */
describe('RADIUS MD5 and HMAC-MD5', () => {
  it('gives the digests of RFC 1321 §A.5', () => {
    const suite: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, digest] of suite) assert.equal(md5(Buffer.from(text)).toString('hex'), digest, text);
  });

  it('gives the HMAC-MD5 of RFC 2202 §2, keys longer than a block included', () => {
    const cases: [Buffer, Buffer, string][] = [
      [Buffer.alloc(16, 0x0b), Buffer.from('Hi There'), '9294727a3638bb1c13f48ef8158bfc9d'],
      [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), '750c783e6ab0b503eaa86e310a5db738'],
      [Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
        '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd'],
    ];
    for (const [key, data, digest] of cases) assert.equal(hmacMd5(key, data).toString('hex'), digest);
  });

  it('agrees with node:crypto at every length across the block and padding boundaries, in pieces too', () => {
    for (let length = 0; length < 300; length++) {
      const data = randomBytes(length);
      const key = randomBytes(1 + (length % 97));
      assert.deepEqual(md5(data), createHash('md5').update(data).digest(), `md5 of ${length} bytes`);
      assert.deepEqual(hmacMd5(key, data), createHmac('md5', key).update(data).digest(), `hmac of ${length} bytes`);
      const cut = length >> 1;
      const pieces = new Md5().update(data.subarray(0, cut)).update(data.subarray(cut)).digest();
      assert.deepEqual(pieces, createHash('md5').update(data).digest(), `md5 of ${length} bytes in two pieces`);
    }
  });

  it('follows a secret changed in place instead of answering from the state it kept', () => {
    const key = Buffer.from('first secret');
    const data = Buffer.from('a RADIUS packet');
    assert.deepEqual(hmacMd5(key, data), createHmac('md5', key).update(data).digest());
    key.write('other secret');
    assert.deepEqual(hmacMd5(key, data), createHmac('md5', Buffer.from('other secret')).update(data).digest());
  });
});
