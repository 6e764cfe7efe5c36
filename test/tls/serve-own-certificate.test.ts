/**
 * `serve` warns at start when the certificate it presents is one peers will refuse: an RSA key
 * under 2048 bits, a certificate out of its dates, an extendedKeyUsage without serverAuth. The
 * certificates are made by openssl for the run; a sound one gives no warning.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownCertificateWarnings } from '../../lib/cli/commands/serve/serve-own-certificate';
import { makeTempDir, runProgram } from '../support/programs';
import { makeRevocationPki } from '../support/revocation-pki';
import { eaphostCommand } from '../support/cli-run';

const runServe = eaphostCommand('serve');

describe('serve warns about its own certificate', function () {
  this.timeout(30_000);
  const dir = makeTempDir('own-cert');
  after(() => dir.remove());

  async function selfSigned(name: string, key: string[], extensions: string[]): Promise<{ cert: string; key: string }> {
    const run = await runProgram('openssl', ['req', '-x509', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
      '-days', '2', '-subj', `/CN=${name}.invalid`, ...extensions.flatMap((e) => ['-addext', e])], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    return { cert: join(dir.path, `${name}.pem`), key: join(dir.path, `${name}.key`) };
  }

  it('names a short RSA key, a purpose without serverAuth and a certificate past its notAfter', async () => {
    const weak = await selfSigned('weak', ['-newkey', 'rsa:1024'], ['extendedKeyUsage=clientAuth']);
    const pem = readFileSync(weak.cert);
    const now = ownCertificateWarnings(pem);
    assert.equal(now.length, 2, now.join('\n'));
    assert.match(now[0], /CN=weak\.invalid\) has a 1024-bit RSA key: peers refuse RSA keys under 2048 bits/);
    assert.match(now[1], /extendedKeyUsage without serverAuth/);
    // Three days on, the two-day certificate has expired too.
    const later = ownCertificateWarnings(pem, new Date(Date.now() + 3 * 86_400_000));
    assert.equal(later.length, 3, later.join('\n'));
    assert.match(later[1], /expired on \d{4}-\d\d-\d\dT/);
  });

  it('a P-256 certificate for serverAuth, in its dates, gives no warning', async () => {
    const sound = await selfSigned('sound', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['extendedKeyUsage=serverAuth']);
    assert.deepEqual(ownCertificateWarnings(readFileSync(sound.cert)), []);
    const plain = await selfSigned('plain', ['-newkey', 'rsa:2048'], []);
    assert.deepEqual(ownCertificateWarnings(readFileSync(plain.cert)), []);
  });

  it('serve prints the warnings on stderr at start, and still serves', async () => {
    const weak = await selfSigned('weak-serve', ['-newkey', 'rsa:1024'], ['extendedKeyUsage=clientAuth']);
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ alice: { password: 'pw' } }));
    writeFileSync(join(dir.path, 'secret'), 's3cret');
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    stop.abort();
    const code = await runServe(['--port', '0', '--secret-file', join(dir.path, 'secret'), '--users', join(dir.path, 'users.json'),
      '--methods', 'peap', '--cert', weak.cert, '--key', weak.key], (l) => out.push(l), (l) => err.push(l), stop.signal);
    assert.equal(code, 0, err.join('\n'));
    assert.equal(err.filter((l) => l.startsWith('eaphost serve: warning: the server certificate (CN=weak-serve.invalid)')).length, 2, err.join('\n'));
    assert.match(out.join('\n'), /listening on 127\.0\.0\.1:\d+/);
  });

  it('serve warns at start about a --crl that is stale or goes stale within a day, with the nextUpdate openssl reads', async () => {
    const pki = await makeRevocationPki();
    try {
      writeFileSync(join(pki.dir, 'users.json'), '{}');
      writeFileSync(join(pki.dir, 'secret'), 's3cret');
      const nextUpdate = async (file: string) =>
        new Date((await pki.openssl('crl', '-in', file, '-noout', '-nextupdate')).trim().replace(/^nextUpdate=/, '')).toISOString();
      const err: string[] = [];
      const stop = new AbortController();
      stop.abort();
      const code = await runServe(['--port', '0', '--secret-file', join(pki.dir, 'secret'), '--users', join(pki.dir, 'users.json'),
        '--methods', 'tls', '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ca', pki.caFile,
        '--crl', pki.staleCrl, '--crl', pki.crlDer, '--crl-allow-stale'], () => undefined, (l) => err.push(l), stop.signal);
      assert.equal(code, 0, err.join('\n'));
      assert.ok(err.includes(`eaphost serve: warning: CRL ${pki.staleCrl} is stale (its nextUpdate was ${await nextUpdate(pki.staleCrl)})`),
        err.join('\n'));
      const fresh = await nextUpdate(pki.crlPem);
      assert.ok(err.some((l) => l.startsWith(`eaphost serve: warning: CRL ${pki.crlDer} goes stale in 0.`) &&
        l.endsWith(`(nextUpdate ${fresh})`)), err.join('\n'));
    } finally {
      pki.remove();
    }
  });
});
