/**
 * RADIUS/DTLS (RFC 7360) in `eaphost serve --radsec` on Windows node.exe under Wine: the addon's
 * DTLS listener over the GnuTLS cross-built for Windows (the DLLs beside eaphost.node, loaded from
 * there on first use), judged by Linux peers on loopback. eapol_test → radsecproxy 1.9.2 (UDP in,
 * `server { type dtls }` out) → serve: PEAP, eapol_test's MSK equal to the MS-MPPE keys serve
 * released ("MPPE keys OK"), and radsecproxy's log naming the DTLS hop; and Linux eaphost's own
 * DTLS client → serve: PEAP accepted, the MPPE keys equal to the peer's MSK. The client side too:
 * `eaphost auth --radsec --radsec-transport dtls` in Windows node.exe against Linux `eaphost serve
 * --radsec`, the MSK equal to the MPPE keys serve released and a wrong password rejected; and the
 * same command to radsecproxy 1.9.2's `ListenDTLS` (its HelloVerifyRequest cookie 40 bytes, over
 * the 32 an unpatched GnuTLS takes: scripts/ci/patches/gnutls-dtls-cookie-size.patch) in front of
 * Linux serve, PEAP accepted and the MSK equal to the MPPE keys radsecproxy passed on.
 * Certificates come from the openssl command (test/support/interop-pki.ts). Run from
 * scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, openEapHost } from '../../lib';
import { RadSecClient, RadiusEapTransport } from '../../lib/radius';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { startEaphostServe } from '../support/eaphost-serve';
import { startRadsecProxy } from '../support/radsecproxy';
import type { ServeProcess } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { assertPeapThroughRadsecproxy, dtlsServeArgs } from '../support/radsec-dtls-serve';
import { runWineCli, startWineServe } from '../support/wine-node';

const USER = { identity: 'wine-dtls-user', password: 'w1ne dtls' };

describe('RADIUS/DTLS: serve --radsec in Windows node.exe under Wine, against Linux peers', function () {
  this.timeout(180_000);
  const dir = makeTempDir('wine-serve-dtls');
  const users = join(dir.path, 'users.json');
  let pki: InteropPki;
  let serve: ServeProcess;

  before(async () => {
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    pki = await makeInteropPki();
    serve = await startWineServe(dtlsServeArgs(users, pki));
  });

  after(async () => {
    await serve?.stop();
    pki?.remove();
    dir.remove();
  });

  it('listens for RadSec on TCP and RADIUS/DTLS on UDP at once', () => {
    assert.match(serve.output(), /\(RadSec, TCP\) \(RADIUS\/DTLS, UDP\)/, serve.output());
  });

  it('eapol_test → radsecproxy (UDP in, DTLS out) → serve: PEAP, "MPPE keys OK"; radsecproxy\'s log shows the DTLS hop', async () => {
    await assertPeapThroughRadsecproxy(serve.port, pki, USER, serve.output);
  });

  it('Linux eaphost\'s DTLS client → serve: PEAP-MSCHAPv2 accepted, MPPE keys = the MSK; a wrong password rejected', async () => {
    const radsec = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 10_000 });
    const host = await openEapHost();
    try {
      for (const password of [USER.password, `${USER.password}-wrong`]) {
        const session = await host.beginSession({ method: 'peap', identity: USER.identity, password, ca: pki.ca, serverName: SERVER_NAME });
        try {
          const result = await authenticate({ session, transport: new RadiusEapTransport({
            server: { host: '127.0.0.1', port: serve.port, secret: RADSEC_DTLS_SECRET }, client: radsec }) });
          const right = password === USER.password;
          assert.equal(result.success, right, serve.output().slice(-2000));
          if (right) assert.equal(result.mppeKeysMatch, true);
        } finally {
          await session.endSession();
        }
      }
    } finally {
      await host.close();
      await radsec.close();
    }
  });

  /** `eaphost auth --radsec --radsec-transport dtls` (PEAP) in Windows node.exe to `port`, judged by
   *  its JSON report: accepted with MPPE keys equal to the MSK for the right password, rejected for
   *  a wrong one when `wrong` is asked too. `peer` is what the failure message shows of the server. */
  async function windowsDtlsAuth(port: number, peer: () => string, wrong: boolean): Promise<void> {
    for (const password of wrong ? [USER.password, `${USER.password}-wrong`] : [USER.password]) {
      const { code, output } = await runWineCli(['auth', '--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-transport', 'dtls',
        '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD,
        '--radsec-ca', pki.files.ca,
        '--radsec-server-name', SERVER_NAME, '--method', 'peap', '--identity', USER.identity, '--ca', pki.files.ca,
        '--server-name', SERVER_NAME, '--backend', 'portable', '--json'],
      { EAPHOST_PASSWORD: password });
      const json = output.split('\n').find((line) => line.startsWith('{'));
      assert.ok(json, `no JSON report:\n${output}\n--- server:\n${peer().slice(-3000)}`);
      const report = JSON.parse(json) as { success?: boolean; mppeKeysMatch?: boolean };
      const right = password === USER.password;
      assert.equal(report.success, right, `${output}\n--- server:\n${peer().slice(-3000)}`);
      assert.equal(code, right ? 0 : 1, output);
      if (right) assert.equal(report.mppeKeysMatch, true, output);
    }
  }

  it('eaphost auth --radsec-transport dtls in Windows node.exe → Linux serve: PEAP accepted, MSK = the MPPE keys; a wrong password rejected', async () => {
    const linux = await startEaphostServe(0, dtlsServeArgs(users, pki));
    try {
      assert.match(linux.output(), /\(RADIUS\/DTLS, UDP\)/);
      await windowsDtlsAuth(linux.port, linux.output, true);
    } finally {
      await linux.stop();
    }
  });

  it('eaphost auth --radsec-transport dtls in Windows node.exe → radsecproxy\'s ListenDTLS (a 40-byte cookie) → Linux serve: PEAP accepted, MSK = the MPPE keys', async () => {
    // The GnuTLS shipped for Windows takes radsecproxy's 40-byte cookie (scripts/ci/patches); the
    // system's on Linux refuses it (test/radius/radsec-dtls.test.ts). radsecproxy's other side is
    // RADIUS/DTLS to Linux serve, with DTLS's default secret on both hops.
    const linux = await startEaphostServe(0, dtlsServeArgs(users, pki));
    const proxy = await startRadsecProxy({ listen: 'dtls', clientSecret: RADSEC_DTLS_SECRET,
      server: { type: 'dtls', port: linux.port, secret: RADSEC_DTLS_SECRET },
      tls: { ca: pki.files.ca, cert: pki.files.serverCert, key: pki.files.serverKey },
      // serve checks a DTLS client certificate's purpose (clientAuth), as over TLS.
      serverTls: { ca: pki.files.ca, cert: pki.files.clientCert, key: pki.files.clientKey, keyPassword: CLIENT_KEY_PASSWORD } }).catch(async (error: unknown) => {
      await linux.stop();
      throw error;
    });
    try {
      await windowsDtlsAuth(proxy.port, () => `${proxy.log()}\n--- serve:\n${linux.output().slice(-2000)}`, false);
      // Both hops were DTLS: Windows node.exe's association to radsecproxy's listener, radsecproxy's to serve.
      assert.match(proxy.log(), /dtlsserverrd: got Radius message from 127\.0\.0\.1/);
      assert.match(proxy.log(), /dtlsconnect: DTLS connection to home \(127\.0\.0\.1 port \d+\), subject CN=radius\.interop\.invalid up/);
    } finally {
      await proxy.stop();
      await linux.stop();
    }
  });
});
