import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { startFreeRadius } from '../support/freeradius';
import { SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { withPeapRadiusServer } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { CliRun, runCli, secretFlag } from '../support/cli-run';

/**
 * `eaphost auth --radius … --show-server-cert / --save-server-cert` against FreeRADIUS: what is
 * printed and saved is compared with the certificate file FreeRADIUS was given, read with
 * node:crypto (fingerprints, subject, SANs, validity, the DER bytes themselves).
 */
const SECRET = 'cert-secret';
const USER = { identity: 'carl', password: 'c4rl pass' };

const run = (argv: string[]): Promise<CliRun> => runCli(main, ['auth', ...argv]);

describe('eaphost auth --show-server-cert / --save-server-cert', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof makeTempDir>;
  const peap = (ca: () => string) => ['--radius', `127.0.0.1:${fixture.server.port}`, ...secretFlag('secret', SECRET), '--method', 'peap',
    '--identity', USER.identity, ...secretFlag('password', USER.password), '--ca', ca(), '--server-name', SERVER_NAME, '--tls-max', '1.2'];

  const fixture = interopServer((certificates) => startFreeRadius({ secret: SECRET, users: [USER], tlsMaxVersion: '1.2', certificates }));
  before(() => {
    dir = makeTempDir('server-cert');
  });
  after(() => dir?.remove());

  it('prints the leaf as FreeRADIUS\'s certificate file describes it and saves it as PEM', async () => {
    const leaf = new X509Certificate(fixture.pki.serverCert);
    const saved = join(dir.path, 'presented.pem');
    const { code, out, err } = await run([...peap(() => fixture.pki.files.ca), '--show-server-cert', '--save-server-cert', saved]);
    assert.equal(code, 0, [...out, ...err].join('\n'));
    const text = out.join('\n');
    assert.ok(text.includes(leaf.fingerprint256), text);
    assert.ok(text.includes(leaf.fingerprint), text);
    assert.ok(text.includes(leaf.fingerprint.replace(/:/g, '')), 'the Windows thumbprint form');
    assert.ok(text.includes(`DNS:${SERVER_NAME}`), text);
    assert.ok(text.includes(new Date(leaf.validTo).toISOString()), text);
    assert.match(text, new RegExp(`subject: +CN=${SERVER_NAME.replace(/\./g, '\\.')}`));
    assert.match(text, /issuer: +CN=eaphost interop CA/);
    const presented = new X509Certificate(readFileSync(saved));
    assert.ok(presented.raw.equals(leaf.raw), 'the saved PEM holds the very certificate FreeRADIUS was given');
    assert.match(readFileSync(saved, 'latin1'), /^-----BEGIN CERTIFICATE-----\n/);
    assert.doesNotMatch(text + err.join('\n'), new RegExp(`${SECRET}|${USER.password}`));
  });

  it('--json carries the chain; it is shown also when the peer rejects the certificate, with the reason', async () => {
    const leaf = new X509Certificate(fixture.pki.serverCert);
    const accepted = await run([...peap(() => fixture.pki.files.ca), '--show-server-cert', '--json']);
    const result = JSON.parse(accepted.out[accepted.out.length - 1]);
    assert.equal(result.result, 'accept');
    assert.equal(result.serverCertificates[0].sha256, leaf.fingerprint256);
    assert.equal(result.serverCertificates[0].sha1, leaf.fingerprint);

    const refused = await run([...peap(() => fixture.pki.files.otherCa), '--show-server-cert']);
    assert.equal(refused.code, 1, [...refused.out, ...refused.err].join('\n'));
    assert.ok(refused.out.join('\n').includes(leaf.fingerprint256), 'the refused certificate is still shown');
    assert.match(refused.err.join('\n'), /failed: .+/);
  });

  it('is a usage error for methods without TLS', async () => {
    const { code, err } = await run(['--radius', `127.0.0.1:${fixture.server.port}`, ...secretFlag('secret', SECRET), '--method', 'md5',
      '--identity', USER.identity, ...secretFlag('password', USER.password), '--show-server-cert']);
    assert.equal(code, 2);
    assert.match(err[0], /TLS methods/);
  });

  it('TLS 1.3 encrypts the certificate on the wire; the peer\'s result still names it, also when refused', async () => {
    await withPeapRadiusServer(SECRET, USER, async (port, authenticator) => {
      const trust = authenticator.trust!;
      const base = ['--radius', `127.0.0.1:${port}`, ...secretFlag('secret', SECRET), '--method', 'peap',
        '--identity', USER.identity, ...secretFlag('password', USER.password), '--tls-max', '1.3', '--show-server-cert'];
      const saved = join(dir.path, 'tls13.pem');
      const accepted = await run([...base, '--insecure', '--save-server-cert', saved]);
      assert.equal(accepted.code, 0, [...accepted.out, ...accepted.err].join('\n'));
      // What was saved is the server's: issued and signed by the CA it says it uses, for its name.
      const leaf = new X509Certificate(readFileSync(saved));
      const ca = new X509Certificate(trust.ca);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the saved certificate is the one the server\'s CA signed');
      assert.equal(leaf.checkHost(trust.serverName), trust.serverName);
      assert.ok(accepted.out.join('\n').includes(leaf.fingerprint256), accepted.out.join('\n'));
      // An untrusted server (another CA): refused over TLS 1.3, its chain shown all the same.
      const refusedFile = join(dir.path, 'tls13-refused.pem');
      const refused = await run([...base, '--ca', fixture.pki.files.otherCa, '--server-name', trust.serverName,
        '--save-server-cert', refusedFile, '--json']);
      assert.equal(refused.code, 1, [...refused.out, ...refused.err].join('\n'));
      const result = JSON.parse(refused.out[refused.out.length - 1]);
      assert.equal(result.result, 'error', refused.out.join('\n'));
      assert.equal(result.serverCertificates[0].sha256, leaf.fingerprint256);
      assert.ok(new X509Certificate(readFileSync(refusedFile)).raw.equals(leaf.raw));
    });
  });
});
