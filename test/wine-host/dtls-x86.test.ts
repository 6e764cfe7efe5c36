/**
 * RADIUS/DTLS (RFC 7360) in 32-bit Windows: `eaphost auth --radsec-transport dtls` in the official
 * node-win-x86 node.exe with the x86 cross-build's addon (build-win32), under the Wine chroot's
 * 32-bit Wine (scripts/wine/x86-node.sh), against Linux `eaphost serve --radsec` on loopback, whose
 * listener takes a PSK client (RFC 9813) and certificate clients at once. The x86 addon links the
 * same x86 GnuTLS as the x86 eap_methods.dll, delay-loaded (the one rule of CMakeLists.txt), and
 * loads it from beside itself on first use. Judged by Linux serve: PEAP-MSCHAPv2 accepted and the
 * MSK the 32-bit peer derived equal to the MPPE keys serve released, with a PSK and with a client
 * certificate; a wrong PSK our connection error. And the other side: `eaphost serve --radsec` in
 * the 32-bit node.exe whose only RadSec client is a "psk" line (a PSK-only listener, on TCP and
 * UDP), judged by OpenSSL's `s_client -dtls1_2 -psk`: ECDHE-PSK over X25519 agreed and a
 * Status-Server built with node:crypto answered, signed for DTLS's default secret "radius/dtls";
 * plain-PSK suites and a wrong key refused. Run from scripts/wine/run.sh, after its x86 part made
 * the 32-bit prefix.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPeImage } from '../../lib/core/pe-image';
import { startEaphostServe } from '../support/eaphost-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { dtlsServeArgs } from '../support/radsec-dtls-serve';
import { judgePskOnlyListener } from '../support/openssl-dtls-psk';
import { runWineX86Cli, startWineX86Serve, wineAuth, x86TreeDir } from '../support/wine-node';

const USER = { identity: 'wine-x86-user', password: 'x86 dtls' };
const IDENTITY = 'nas-wine-x86';
const repoRoot = join(__dirname, '..', '..', '..');

describe('RADIUS/DTLS in 32-bit Windows node.exe (node-win-x86, i386 Wine) against Linux serve', function () {
  this.timeout(240_000);
  const dir = makeTempDir('wine-x86-dtls');
  // What the 32-bit node.exe reads: in the tree, the one part of this machine the Wine chroot sees.
  const shared = x86TreeDir('dtls');
  const key = randomBytes(32);
  let pki: InteropPki;
  let serve: ServeProcess;
  const file = (name: string) => join(shared.path, name);

  before(async () => {
    pki = await makeInteropPki();
    for (const [name, from] of [['ca.pem', pki.files.ca], ['client.pem', pki.files.clientCert], ['client.key', pki.files.clientKey]]) {
      copyFileSync(from, file(name));
    }
    writeFileSync(file('psk'), key.toString('hex'), { mode: 0o600 });
    writeFileSync(file('psk-wrong'), randomBytes(32).toString('hex'), { mode: 0o600 });
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    const clients = join(dir.path, 'clients');
    writeFileSync(clients, `psk ${IDENTITY} ${key.toString('hex')} 127.0.0.1\n`, { mode: 0o600 });
    serve = await startEaphostServe(0, [...dtlsServeArgs(users, pki), '--clients', clients]);
  });

  after(async () => {
    await serve?.stop();
    pki?.remove();
    shared.remove();
    dir.remove();
  });

  /** PEAP-MSCHAPv2 over RADIUS/DTLS from 32-bit node.exe, the RadSec credential given by `radsec`. */
  const auth = (radsec: string[], timeoutMs = 10_000) => wineAuth(runWineX86Cli, ['--radius', `127.0.0.1:${serve.port}`, '--radsec', '--radsec-transport', 'dtls',
    ...radsec, '--method', 'peap', '--identity', USER.identity, '--ca', file('ca.pem'), '--server-name', SERVER_NAME,
    '--backend', 'portable', '--timeout', String(timeoutMs)], USER.password);

  it('the 32-bit node.exe and the x86 addon are ia32 PE images; the addon delay-loads the x86 GnuTLS for DTLS', () => {
    const pe = (path: string) => readPeImage(readFileSync(path), path);
    assert.equal(pe(process.env.EAPHOST_WINE_X86_NODE_EXE ?? '').machine, 0x14c);
    const addon = pe(join(repoRoot, 'build-win32', 'Release', 'eaphost.node'));
    assert.equal(addon.machine, 0x14c);
    assert.ok(addon.delayImports.includes('libgnutls-30.dll'), addon.delayImports.join(', '));
    assert.equal(pe(join(repoRoot, 'build-win32', 'Release', 'libgnutls-30.dll')).machine, 0x14c);
  });

  it('with a PSK (--radsec-psk-*): PEAP accepted, the MSK equal to the MPPE keys Linux serve released', async () => {
    const { code, output, report } = await auth(['--radsec-psk-identity', IDENTITY, '--radsec-psk-file', file('psk')]);
    assert.equal(code, 0, `${output}\n--- serve:\n${serve.output().slice(-2000)}`);
    assert.equal(report.success, true, output);
    assert.equal(report.mppeKeysMatch, true, output);
  });

  it('with a client certificate: PEAP accepted, the MSK equal to the MPPE keys', async () => {
    const { code, output, report } = await auth(['--radsec-cert', file('client.pem'), '--radsec-key', file('client.key'),
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', file('ca.pem'), '--radsec-server-name', SERVER_NAME]);
    assert.equal(code, 0, `${output}\n--- serve:\n${serve.output().slice(-2000)}`);
    assert.equal(report.mppeKeysMatch, true, output);
  });

  it('with a wrong PSK: the DTLS handshake refused, reported as our connection error', async () => {
    // DTLS drops the Finished it cannot decrypt: the handshake fails at the client's deadline, whatever that is.
    const { code, output, report } = await auth(['--radsec-psk-identity', IDENTITY, '--radsec-psk-file', file('psk-wrong')], 3000);
    assert.equal(code, 1, output);
    assert.equal(report.result, 'error', output);
    assert.match(report.reason ?? '', /DTLS handshake/, output);
  });
});

describe('RADIUS/DTLS with TLS-PSK served by 32-bit Windows node.exe (node-win-x86, i386 Wine), judged by OpenSSL', function () {
  this.timeout(240_000);
  const identity = 'nas-wine-x86-serve';
  // serve in the 32-bit node.exe reads its files from the tree, the one part of this machine the chroot sees.
  const shared = x86TreeDir('dtls-serve');
  const key = randomBytes(32);
  let serve: ServeProcess;

  before(async () => {
    writeFileSync(join(shared.path, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
    writeFileSync(join(shared.path, 'clients'), `psk ${identity} ${key.toString('hex')} 127.0.0.1\n`, { mode: 0o600 });
    // No --secret: DTLS's default, "radius/dtls".
    serve = await startWineX86Serve(['--users', join(shared.path, 'users.json'), '--methods', 'mschapv2', '--radsec',
      '--clients', join(shared.path, 'clients')]);
  });

  after(async () => {
    await serve?.stop();
    shared.remove();
  });

  it('serve in the 32-bit node.exe with a psk line alone listens for RadSec on TCP and RADIUS/DTLS on UDP', () => {
    assert.match(serve.output(), /\(RadSec, TCP\) \(RADIUS\/DTLS, UDP\)/, serve.output());
  });

  it('openssl s_client -dtls1_2 -psk → serve: ECDHE-PSK over X25519, a Status-Server answered and signed for "radius/dtls"; plain-PSK suites and a wrong key refused', async () => {
    await judgePskOnlyListener(serve.port, identity, key, 9, () => serve.output());
  });
});
