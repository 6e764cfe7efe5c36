/**
 * `eaphost serve --radsec` as the RADIUS/DTLS tests start it (Linux node and Windows node.exe
 * alike), and the chain that judges it: eapol_test → radsecproxy 1.9.2 (UDP in, `server { type dtls }`
 * or `server { type tls }` out) → serve.
 */
import { strict as assert } from 'node:assert';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { runEapolTest } from './eapol-test';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from './interop-pki';
import type { InteropPki } from './interop-pki';
import { startRadsecProxy } from './radsecproxy';

/** serve's flags: PEAP for the users file, RadSec with the interop PKI's server certificate, DTLS's default secret. */
export function dtlsServeArgs(users: string, pki: InteropPki): string[] {
  return ['--users', users, '--methods', 'peap', '--cert', pki.files.serverCert, '--key', pki.files.serverKey,
    '--secret', RADSEC_DTLS_SECRET, '--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey,
    '--radsec-ca', pki.files.ca];
}

/**
 * eapol_test → radsecproxy (UDP in, `transport` out) → serve on `port`: PEAP-MSCHAPv2 as `user`
 * succeeds, eapol_test's MSK equals the MPPE keys serve released, and radsecproxy's own log shows
 * the DTLS or TLS connection to serve and a packet sent over it. serve holds RADSEC_DTLS_SECRET
 * (dtlsServeArgs' --secret) over either transport.
 */
export async function assertPeapThroughRadsecproxy(port: number, pki: InteropPki, user: { identity: string; password: string },
  serveOutput: () => string, transport: 'dtls' | 'tls' = 'dtls'): Promise<void> {
  // radsecproxy is serve's RadSec client here: it shows the client certificate (extendedKeyUsage
  // clientAuth), as serve demands over either transport.
  const proxy = await startRadsecProxy({ listen: 'udp', clientSecret: 'nas-secret', server: { type: transport, port, secret: RADSEC_DTLS_SECRET },
    tls: { ca: pki.files.ca, cert: pki.files.clientCert, key: pki.files.clientKey, keyPassword: CLIENT_KEY_PASSWORD } });
  try {
    const run = await runEapolTest({ host: '127.0.0.1', port: proxy.port, secret: 'nas-secret', method: 'PEAP', phase2: 'auth=MSCHAPV2',
      ...user, caCert: pki.files.ca, serverName: SERVER_NAME, timeoutSeconds: 30 });
    assert.equal(run.success, true, `${run.stdout.slice(-2000)}\n${proxy.log().slice(-3000)}\n${serveOutput().slice(-2000)}`);
    assert.equal(run.mppeKeysOk, 1);
    assert.equal(run.mppeKeysMismatch, 0);
    const name = transport.toUpperCase();
    assert.match(proxy.log(), new RegExp(`${transport}connect: ${name} connection to home \\(127\\.0\\.0\\.1 port \\d+\\), ` +
      'subject CN=radius\\.interop\\.invalid up'));
    assert.match(proxy.log(), new RegExp(`clientradput${transport}: Sent \\d+ bytes, Radius packet of length \\d+ to ${name} peer home`));
  } finally {
    await proxy.stop();
  }
}
