/**
 * The PKCS#12 the Windows lane imports (test/support/pkcs12.ts) is checked here by the openssl
 * command, a parser nobody here wrote: its MAC verifies and its key decrypts with the password,
 * both fail with another, and the certificate inside has the thumbprint node:crypto gave.
 */
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestPkcs12 } from '../support/pkcs12';
import { findProgram, makeTempDir, runProgram } from '../support/programs';

describe('the test PKCS#12, read by openssl', function () {
  const openssl = findProgram(['openssl'], 'openssl');

  it('opens with its password (MAC verified, key decrypted) and holds the certificate node:crypto names', async function () {
    const client = makeTestPkcs12();
    const dir = makeTempDir('pkcs12');
    try {
      const file = join(dir.path, 'client.p12');
      writeFileSync(file, client.pkcs12);
      writeFileSync(join(dir.path, 'password'), client.password);
      const opened = await runProgram(openssl, ['pkcs12', '-in', file, '-passin', `file:${join(dir.path, 'password')}`, '-nodes']);
      assert.equal(opened.code, 0, opened.stderr);
      assert.match(opened.stdout, /-----BEGIN PRIVATE KEY-----/);
      const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(opened.stdout)?.[0];
      assert.ok(pem, opened.stdout);
      const certificate = new X509Certificate(pem);
      assert.equal(certificate.fingerprint.split(':').join(''), client.thumbprint);
      assert.equal(certificate.subject, `CN=${client.subject}`);
      writeFileSync(join(dir.path, 'password'), `${client.password}-wrong`);
      const refused = await runProgram(openssl, ['pkcs12', '-in', file, '-passin', `file:${join(dir.path, 'password')}`, '-noout']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /mac verify/i);
    } finally {
      dir.remove();
    }
  });
});
