/**
 * The x86 build's RSA signer: `eaphost serve` in the official 32-bit node.exe (node-win-x86) with
 * the x86 cross-build, under the Wine chroot's 32-bit Wine (scripts/wine/x86-node.sh), signs with
 * an RSA key from a file in CNG (tls_rsa_signer_win32.cc), as the x64 build does
 * (rsa-signer.test.ts). Judged by Linux's eapol_test (OpenSSL): TLS 1.2's RSA key exchange,
 * ECDHE-RSA and TLS 1.3 each accepted with the MPPE keys; and by that Wine's bcrypt trace: the key
 * imported eight times for each padding, and every signature asked of CNG. Run from
 * scripts/wine/run.sh after its x86 part made the 32-bit prefix (X86_WINE_HOST).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSignedInCng } from '../support/bcrypt-trace';
import { assertRsaKeyHandshakes } from '../support/eapol-test';
import { makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { startWineX86Serve, x86TreeDir } from '../support/wine-node';

describe('RSA keys sign through CNG in 32-bit Windows node.exe (node-win-x86, i386 Wine)', function () {
  this.timeout(240_000);
  const USER = { identity: 'x86-victor', password: 'x86 victor pa55' };
  // What the 32-bit node.exe reads: in the tree, the one part of this machine the Wine chroot sees.
  const shared = x86TreeDir('rsa-signer');
  let pki: InteropPki;

  before(async () => {
    pki = await makeInteropPki();
    copyFileSync(pki.files.serverCert, join(shared.path, 'server.pem'));
    copyFileSync(pki.files.serverKey, join(shared.path, 'server.key'));
    writeFileSync(join(shared.path, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
  });
  after(() => { pki?.remove(); shared.remove(); });

  it('serve imports the key into CNG and signs PKCS#1 and RSA-PSS there; eapol_test accepts every handshake', async () => {
    const secret = 'wine-x86-rsa-signer';
    const serve = await startWineX86Serve(['--secret', secret, '--users', join(shared.path, 'users.json'), '--methods', 'peap',
      '--cert', join(shared.path, 'server.pem'), '--key', join(shared.path, 'server.key')], { WINEDEBUG: '-all,trace+bcrypt' });
    let output: string;
    try {
      await assertRsaKeyHandshakes({ host: '127.0.0.1', port: serve.port, secret, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 30, method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2' }, () => serve.output());
    } finally {
      // Read before it stops: the log goes with it.
      output = serve.output();
      await serve.stop();
    }
    assertSignedInCng(output);
  });
});
