/**
 * An RSA private key signs through the system's libcrypto (native/methods/tls/gnutls/
 * tls_rsa_signer.h), reached by dlopen with its symbols bound inside itself, never to the OpenSSL
 * node bundles and exports. The judges: a real peer (eapol_test, OpenSSL) that accepts the
 * signatures and the RSA key exchange's decryption, and the dynamic linker's own report of
 * which object each of libcrypto's symbols was bound to.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { assertRsaKeyHandshakes, runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { SERVER_NAME, makeInteropPki, type InteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';

const root = resolve(__dirname, '..', '..', '..');

/** A child node that runs one in-process PEAP authentication against the embedded authenticator
 *  holding the PKI's RSA server key, and prints whether it succeeded and which libcrypto it mapped. */
function peapInChild(pki: InteropPki, env: NodeJS.ProcessEnv): { success: boolean; libcrypto: string[]; stderr: string } {
  const script = `
    const { authenticate, createAuthenticator, openEapHost } = require(${JSON.stringify(join(root, 'dist', 'lib'))});
    const fs = require('fs');
    (async () => {
      const host = await openEapHost();
      const authenticator = await createAuthenticator({ methods: ['peap'], users: { victor: { password: 'victor pa55' } },
        cert: fs.readFileSync(${JSON.stringify(pki.files.serverCert)}, 'utf8'), key: fs.readFileSync(${JSON.stringify(pki.files.serverKey)}, 'utf8') });
      const session = await host.beginSession({ method: 'peap', identity: 'victor', password: 'victor pa55',
        ca: fs.readFileSync(${JSON.stringify(pki.files.ca)}, 'utf8'), serverName: ${JSON.stringify(SERVER_NAME)} });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      const libcrypto = fs.readFileSync('/proc/self/maps', 'utf8').split('\\n')
        .map((line) => line.split(/\\s+/)[5]).filter((file) => file && /libcrypto\\.so/.test(file));
      await session.endSession(); await authenticator.close(); await host.close();
      process.stdout.write(JSON.stringify({ success: result.success, libcrypto: [...new Set(libcrypto)] }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return { ...JSON.parse(run.stdout), stderr: run.stderr };
}

describe('RSA keys sign through the system libcrypto (Linux)', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  before(async () => { pki = await makeInteropPki(); });
  after(() => pki.remove());

  it('an in-process PEAP with an RSA server key maps libcrypto.so.3, bound only to itself, never to node', () => {
    const dir = makeTempDir('rsa-signer-ld');
    try {
      const run = peapInChild(pki, { LD_DEBUG: 'bindings', LD_DEBUG_OUTPUT: join(dir.path, 'ld') });
      assert.equal(run.success, true);
      assert.equal(run.libcrypto.length, 1, `one libcrypto mapped: ${run.libcrypto.join(', ')}`);
      const libcrypto = run.libcrypto[0];
      assert.match(libcrypto, /libcrypto\.so\.3$/);
      // The child's own log (the PKI was made before it, so no other process wrote one here).
      const log = readdirSync(dir.path).map((file) => readFileSync(join(dir.path, file), 'utf8')).join('\n');
      // "binding file A [0] to B [0]: normal symbol `name' [VERSION]", one line per resolved
      // reference (the loader names the file by its library path, /proc by its real one).
      const fromLibcrypto = log.split('\n').filter((line) => /\sbinding file \S*\/libcrypto\.so\.3 /.test(line));
      assert.ok(fromLibcrypto.length > 100, `libcrypto's own references were resolved (${fromLibcrypto.length})`);
      // Everything libcrypto asks for comes from itself or the C library; node, which defines
      // EVP_*, OPENSSL_* and the rest itself, provides none of it.
      const elsewhere = fromLibcrypto.filter((line) => !/ to \S*\/(libcrypto\.so\.3|libc\.so\.6) \[/.test(line));
      assert.deepEqual(elsewhere, [], 'libcrypto symbols bound outside libcrypto and libc');
      assert.ok(fromLibcrypto.some((line) => / to \S*\/libcrypto\.so\.3 \[0\]: normal symbol `EVP_\w+' \[OPENSSL_3/.test(line)),
        'libcrypto binds its own EVP_ calls to itself');
      // The module's lookup (dlsym: no version asked) of the signing call found it in that file.
      assert.ok(fromLibcrypto.some((line) => / to \S*\/libcrypto\.so\.3 \[0\]: normal symbol `EVP_PKEY_sign'$/.test(line)),
        'the module found EVP_PKEY_sign in the system libcrypto');
    } finally {
      dir.remove();
    }
  });

  it('EAPHOST_RSA_SIGNER=gnutls leaves the key to GnuTLS: no libcrypto mapped, the same authentication succeeds', () => {
    const run = peapInChild(pki, { EAPHOST_RSA_SIGNER: 'gnutls' });
    assert.equal(run.success, true);
    assert.deepEqual(run.libcrypto, []);
  });

  it('serve with the RSA key: eapol_test\'s TLS 1.2 RSA key exchange (serve decrypts) and ECDHE-RSA (serve signs), TLS 1.3 (RSA-PSS)', async () => {
    const dir = makeTempDir('rsa-signer-serve');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ victor: { password: 'victor pa55' } }));
    const secret = 'rsa-signer-secret';
    const serve = await startEaphostServe(0, ['--secret', secret, '--users', usersFile, '--methods', 'peap',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey]);
    try {
      const target = { host: '127.0.0.1', port: serve.port, secret, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 10, method: 'PEAP' as const, identity: 'victor', password: 'victor pa55', phase2: 'auth=MSCHAPV2' };
      await assertRsaKeyHandshakes(target, () => serve.output());
      // A wrong password still fails: the fast key changed nothing of the verdict.
      const wrong = await runEapolTest({ ...target, password: 'victor pa56', opensslCiphers: 'AES128-GCM-SHA256',
        phase1: 'tls_disable_tlsv1_3=1' });
      assert.equal(wrong.success, false);
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      dir.remove();
    }
  });
});
