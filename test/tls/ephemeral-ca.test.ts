import { strict as assert } from 'node:assert';
import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectIdentifier, time, unsignedInteger } from '../../lib/core/der';
import { EPHEMERAL_SERVER_NAME, createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { makeTempDir, runProgram } from '../support/programs';

/**
 * The embedded authenticator's ephemeral CA and server certificate. The judges are node:crypto's
 * X509Certificate (OpenSSL's parser and verifier) and the openssl command's `verify`, which
 * checks the chain, the CA flag, key usage and the purpose, none of which this code wrote.
 */
describe('ephemeral CA and server certificate', function () {
  this.timeout(30_000);

  it('DER pieces match X.690 encodings known by heart', () => {
    assert.deepEqual(objectIdentifier('1.2.840.10045.4.3.2'), Buffer.from('06082a8648ce3d040302', 'hex'));
    assert.deepEqual(objectIdentifier('2.5.29.19'), Buffer.from('0603551d13', 'hex'));
    assert.deepEqual(unsignedInteger(Buffer.from([0x80])), Buffer.from('02020080', 'hex'));
    assert.deepEqual(unsignedInteger(Buffer.from([0, 0, 5])), Buffer.from('020105', 'hex'));
    assert.deepEqual(time(new Date(Date.UTC(2026, 10, 22, 8, 5, 9))), Buffer.from('\x17\x0d261122080509Z', 'latin1'));
    assert.deepEqual(time(new Date(Date.UTC(2050, 0, 1))), Buffer.from('\x18\x0f20500101000000Z', 'latin1'));
  });

  it('the CA is a CA, signed by itself; the server certificate is signed by it and names the server', () => {
    const now = new Date();
    const made = createEphemeralCa(undefined, now);
    const ca = new X509Certificate(made.ca);
    const server = new X509Certificate(made.server.cert);
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.ok(ca.verify(ca.publicKey), 'self-signed');
    assert.ok(server.verify(ca.publicKey), 'issued by the CA');
    assert.ok(server.checkIssued(ca));
    assert.equal(made.serverName, EPHEMERAL_SERVER_NAME);
    assert.equal(server.checkHost(EPHEMERAL_SERVER_NAME), EPHEMERAL_SERVER_NAME);
    assert.equal(server.checkHost('radius.example.com'), undefined);
    assert.equal(server.subjectAltName, `DNS:${EPHEMERAL_SERVER_NAME}`);
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: TLS server');
    // Validity now − 1 h … now + 1 day, to the second.
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
    for (const cert of [ca, server]) {
      assert.equal(seconds(new Date(cert.validFrom)), seconds(now) - 3600);
      assert.equal(seconds(new Date(cert.validTo)), seconds(now) + 86400);
    }
    // The key is the certificate's.
    const key = createPrivateKey(made.server.key);
    assert.ok(server.checkPrivateKey(key));
    const signature = sign('sha256', Buffer.from('x'), key);
    assert.ok(verify('sha256', Buffer.from('x'), createPublicKey(server.publicKey.export({ type: 'spki', format: 'pem' })), signature));
    assert.notEqual(ca.serialNumber, server.serialNumber);
  });

  it('each process-level call makes fresh keys: two CAs do not vouch for each other', () => {
    const a = createEphemeralCa();
    const b = createEphemeralCa();
    assert.equal(new X509Certificate(a.server.cert).verify(new X509Certificate(b.ca).publicKey), false);
  });

  it('`openssl verify` accepts the chain for the TLS server and client purposes, and checks the name', async () => {
    const made = createEphemeralCa('radius.test.invalid');
    const client = made.issueClient('alice@example.com');
    const dir = makeTempDir('ephemeral-ca');
    try {
      writeFileSync(join(dir.path, 'ca.pem'), made.ca);
      writeFileSync(join(dir.path, 'server.pem'), made.server.cert);
      writeFileSync(join(dir.path, 'client.pem'), client.cert);
      const openssl = (...args: string[]) => runProgram('openssl', args, { cwd: dir.path });
      const server = await openssl('verify', '-x509_strict', '-CAfile', 'ca.pem', '-purpose', 'sslserver',
        '-verify_hostname', 'radius.test.invalid', 'server.pem');
      assert.equal(server.code, 0, server.stdout + server.stderr);
      assert.match(server.stdout, /server\.pem: OK/);
      const wrongName = await openssl('verify', '-CAfile', 'ca.pem', '-verify_hostname', 'other.invalid', 'server.pem');
      assert.notEqual(wrongName.code, 0);
      assert.match(wrongName.stdout + wrongName.stderr, /hostname mismatch/);
      const asClient = await openssl('verify', '-x509_strict', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'client.pem');
      assert.equal(asClient.code, 0, asClient.stdout + asClient.stderr);
      const clientAsServer = await openssl('verify', '-CAfile', 'ca.pem', '-purpose', 'sslserver', 'client.pem');
      assert.notEqual(clientAsServer.code, 0, 'a client certificate is not a server certificate');
      const text = await openssl('x509', '-in', 'ca.pem', '-noout', '-text');
      assert.match(text.stdout, /CA:TRUE/);
      assert.match(text.stdout, /Certificate Sign, CRL Sign/);
      assert.match(text.stdout, /Version: 3/);
    } finally {
      dir.remove();
    }
  });
});
