/**
 * wpa_supplicant 2.10's eapol_test against our authenticator with both ends held to TLS 1.3 (no
 * older version offered or accepted), behind `eaphost serve` and behind the library's RadiusServer,
 * for EAP-TLS, PEAP and EAP-TTLS. The truth is the peer's own: its verdict, the version its log
 * says it negotiated, its MSK ("Derived key", which RFC 9190 / RFC 9427 cut from a 128-octet
 * export) equal to the MS-MPPE keys it decrypted from our Access-Accept, its Session-Id equal to
 * the EAP-Key-Name it asked us for (eapol_test -e), and what it saw at the end of the handshake —
 * the commitment message for EAP-TLS (RFC 9190 §2.5), none inside the tunnels (RFC 9427). The
 * EMSK RADIUS does not carry: test/tls/tls13-exporter.test.ts checks ours against OpenSSL's
 * exporter, test/radius/emsk-oracle.test.ts against hostapd's.
 */
import { strict as assert } from 'node:assert';
import { waitFor } from '../support/radius-probe';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import {
  assertDerivedKeyIsMppeKeys, assertTls13Accepted, EapolTestOptions, ONLY_TLS13, runEapolTest, TUNNEL_COMMITMENT,
} from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME } from '../support/interop-pki';
import { interopServer, realServer } from '../support/interop-server';
import { authenticateOverRadius } from './peer';
import { makeTempDir } from '../support/programs';

const SECRET = 'tls13-keys-secret';
const USER = { identity: 'thea', password: 'thea pa55 wörd' };
type Target = Pick<EapolTestOptions, 'host' | 'port' | 'secret' | 'caCert' | 'serverName' | 'timeoutSeconds'>;

/** The three methods against one of our RADIUS servers, each checked as the file's comment says. */
function methodCases(target: () => Target, pki: () => InteropPki, log: () => string, outerIdentity?: string): void {
  const run = (options: Omit<EapolTestOptions, 'host' | 'port' | 'secret'>) => runEapolTest({ ...target(), ...options, requestKeyName: true,
    phase1: `${options.phase1 ?? ''} ${ONLY_TLS13}`.trim(), ...(outerIdentity ? { anonymousIdentity: outerIdentity } : {}) });

  it('EAP-TLS: accepted; eapol_test ACKs our commitment message; its MSK = our MPPE keys', async () => {
    const result = await run({ method: 'TLS', identity: CLIENT_IDENTITY, password: '', clientCert: pki().files.clientCert,
      privateKey: pki().files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD });
    assertTls13Accepted('EAP-TLS', result, log);
    assert.match(result.stdout, /^EAP-TLS: ACKing Commitment Message$/m);
    assertDerivedKeyIsMppeKeys('EAP-TLS', result, 'TLS');
  });

  it('PEAP-MSCHAPv2: accepted; no commitment message in the tunnel; eapol_test\'s MSK = our MPPE keys', async () => {
    const result = await run({ method: 'PEAP', ...USER, phase1: 'peapver=0 crypto_binding=0', phase2: 'auth=MSCHAPV2' });
    assertTls13Accepted('PEAP', result, log);
    assert.match(result.stdout, /^EAP-PEAP: Decrypted Phase 2 EAP - hexdump/m, 'the tunnel\'s data is in the log');
    assert.doesNotMatch(result.stdout, TUNNEL_COMMITMENT);
    assertDerivedKeyIsMppeKeys('PEAP', result, 'PEAP');
  });

  it('EAP-TTLS-MSCHAPv2: accepted; no commitment message in the tunnel; eapol_test\'s MSK = our MPPE keys', async () => {
    const result = await run({ method: 'TTLS', ...USER, phase2: 'auth=MSCHAPV2' });
    assertTls13Accepted('TTLS', result, log);
    assert.match(result.stdout, /^EAP-TTLS: Decrypted Phase 2 AVPs - hexdump/m, 'the tunnel\'s data is in the log');
    assert.doesNotMatch(result.stdout, TUNNEL_COMMITMENT);
    assertDerivedKeyIsMppeKeys('TTLS', result, 'TTLS');
  });
}

/** `eaphost serve --tls-min 1.3` holding USER, with the interop PKI, for the describe's tests. */
function tls13Serve(args: string[] = []) {
  return interopServer(async (certificates) => {
    const dir = makeTempDir('tls13-keys');
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', join(dir.path, 'users.json'), '--tls-min', '1.3',
      '--cert', certificates.serverCert, '--key', certificates.serverKey, '--ca', certificates.ca, ...args]);
    return {
      port: serve.port, log: serve.output,
      stop: async () => {
        const code = await serve.stop();
        dir.remove();
        assert.equal(code, 0, serve.output());
      },
    };
  });
}

const targetOf = (port: number, pki: InteropPki): Target =>
  ({ host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME, timeoutSeconds: 15 });

describe('TLS 1.3 keys: eapol_test against `eaphost serve --tls-min 1.3`', function () {
  this.timeout(60_000);
  const home = tls13Serve();
  methodCases(() => targetOf(home.server.port, home.pki), () => home.pki, () => home.server.log());

  it('a NAS that asks for no EAP-Key-Name gets none back (RFC 4072 §6.1)', async () => {
    const run = await runEapolTest({ ...targetOf(home.server.port, home.pki), method: 'PEAP', ...USER, phase1: ONLY_TLS13,
      phase2: 'auth=MSCHAPV2' });
    assert.equal(run.success, true, run.stdout.slice(-3000));
    assert.match(run.stdout, /^No EAP-Key-Name received from server$/m);
  });

  it('an EAP-Key-Name that is not one NUL is ignored, none comes back (RFC 4072 §6.1)', async () => {
    const result = await authenticateOverRadius({ host: '127.0.0.1', port: home.server.port, secret: SECRET }, USER.identity,
      USER.password, { method: 'peap', attributes: [{ type: 102, value: Buffer.from('x') }],
        tls: { ca: home.pki.ca, serverName: SERVER_NAME, tls: { min: '1.3' } } });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.sessionId?.length, 65);
    assert.ok(!result.verdictAttributes.some((a) => a.type === 102), 'no EAP-Key-Name in the Access-Accept');
  });
});

describe('TLS 1.3 keys: eapol_test through FreeRADIUS 3.2, which proxies its realm to `eaphost serve --tls-min 1.3`', function () {
  this.timeout(60_000);
  const home = tls13Serve(['--log']);
  const proxy = realServer(() => startFreeRadius({ secret: SECRET, users: [],
    proxyTo: { realm: 'eaphost.test', port: home.server.port, secret: SECRET } }));

  // FreeRADIUS's own EAP has other certificates, which eapol_test's CA refuses: an accept is serve's.
  methodCases(() => targetOf(proxy.server.port, home.pki), () => home.pki, () => `${proxy.server.log()}\n${home.server.log()}`,
    'anonymous@eaphost.test');

  it('serve logged each of them as its own accepted conversation, asked by FreeRADIUS', async () => {
    for (const method of ['tls', 'peap', 'ttls']) {
      // The line comes just after the verdict went out.
      const line = new RegExp(`client=127\\.0\\.0\\.1 identity="anonymous@eaphost\\.test" method=${method} outcome=accept `);
      await waitFor(() => line.test(home.server.log()), 10_000).catch(() => assert.fail(`${line}\n${home.server.log()}`));
    }
  });
});

describe('TLS 1.3 keys: eapol_test against RadiusServer with an authenticator held to TLS 1.3', function () {
  this.timeout(60_000);
  const fixture = interopServer(async (_certificates, pki) => {
    const authenticator = await createAuthenticator({ methods: ['peap', 'ttls', 'tls'], users: { [USER.identity]: { password: USER.password } },
      cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, tls: { min: '1.3' } });
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET, authenticator });
    const { port } = await server.listen();
    return { port, stop: async () => { await server.close(); await authenticator.close(); } };
  });

  methodCases(() => targetOf(fixture.server.port, fixture.pki), () => fixture.pki, () => '');
});
