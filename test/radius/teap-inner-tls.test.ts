import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapolTestOptions, EapolTestResult, runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { HOSTAPD_VERDICT, startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, clientCertificate, InteropPki, makeInteropPki, SERVER_NAME }
  from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { makeTempDir, runProgram } from '../support/programs';
import { HOSTAPD_TEAP_CONFIG, teapHostap } from '../support/teap-hostap';
import { assertAccessReject } from '../support/radius-verdict';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';
import { runMain } from '../support/cli-run';

/**
 * TEAP carrying EAP-TLS (RFC 9930; what Windows 10/11 run for machine authentication) against
 * hostap 2.10 built with TEAP (scripts/ci/teap-hostap.sh): our peer against hostapd's TEAP server,
 * whose verdict, Crypto-Binding check (both Compound MACs: EAP-TLS has an EMSK) and MS-MPPE keys
 * are the truth; and hostap's eapol_test (phase2 "auth=TLS") against `eaphost serve --methods teap
 * --inner-method tls`, whose "MPPE keys OK: 1" compares the MSK it derived with the keys we sent.
 */
const EAP_TYPE_TEAP = 55;

/** A client certificate and key (unencrypted) from the PKI's unrelated CA, which no server here trusts. */
async function strangerCertificate(pki: InteropPki): Promise<{ cert: string; key: string; certFile: string; keyFile: string }> {
  const openssl = async (...args: string[]) => {
    const run = await runProgram('openssl', args, { cwd: pki.dir });
    if (run.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  };
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.csr', '-subj', `/CN=${CLIENT_IDENTITY}`);
  await openssl('x509', '-req', '-in', 'stranger.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-CAcreateserial',
    '-out', 'stranger.pem', '-days', '1', '-extfile', 'client.ext');
  const certFile = join(pki.dir, 'stranger.pem');
  const keyFile = join(pki.dir, 'stranger.key');
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

describe('TEAP with inner EAP-TLS: our peer against hostapd\'s TEAP server', function () {
  this.timeout(15 * 60_000);  // the first run builds hostap (a few minutes), later runs find it cached
  const SECRET = 'hostapd-teap-tls-secret';
  // hostapd's eap_user: TEAP outside, then "[2]" EAP-TLS inside for the same (inner) identity.
  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, certificates, program: teapHostap().hostapd, tlsFlags: '[ENABLE-TLSv1.3]',
    users: [{ identity: CLIENT_IDENTITY, password: '', methods: ['TEAP'], phase2: ['TLS'] }],
    extraConfig: HOSTAPD_TEAP_CONFIG,
  }));
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });
  const trust = () => ({ ca: fixture.pki.ca, serverName: SERVER_NAME });

  for (const version of ['1.2', '1.3'] as const) {
    it(`TLS ${version}: Access-Accept, MSK = the MPPE keys hostapd sends; hostapd checked both our Compound MACs`, async () => {
      const before = fixture.server.log().length;
      const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '',
        { method: 'teap', tls: { ...trust(), tls: { max: version }, innerMethod: 'tls', ...clientCertificate(fixture.pki) } });
      assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
      const log = await fixture.server.logUntil(before, HOSTAPD_VERDICT);  // this conversation's lines
      // Both handshakes, the tunnel's and the inner one, in this version; over TLS 1.3 hostapd
      // sends no commitment message inside TEAP, and the Crypto-Binding proves the inner end.
      assert.equal(log.match(new RegExp(`SSL: Using TLS version TLSv${version.replace('.', '\\.')}`, 'g'))?.length, 4, log.slice(-3000));
      assert.match(log, /EAP-TLS: CONTINUE -> SUCCESS/, 'hostapd ran EAP-TLS inside the tunnel and accepted our certificate');
      // EAP-TLS has an EMSK: hostapd's second key chain, and our reply carrying both Compound
      // MACs (Flags 3), which hostapd verifies before it calls the Crypto-Binding valid.
      assert.match(log, /EAP-TEAP: IMSK from EMSK/);
      assert.match(log, /EAP-TEAP: Reply Crypto-Binding TLV: Version 1 Received Version 1 Flags 3 Sub-Type 1/);
      assert.match(log, /EAP-TEAP: Valid Crypto-Binding TLV received/);
    });
  }

  it('eaphost auth --method teap --inner-method tls --cert --key: accepted, MSK = hostapd\'s MPPE keys', async () => {
    const pki = fixture.pki;
    const run = await runMain(['auth', '--radius', `127.0.0.1:${fixture.server.port}`, '--secret', SECRET, '--method', 'teap',
      '--inner-method', 'tls', '--identity', CLIENT_IDENTITY, '--cert', pki.files.clientCert, '--key', pki.files.clientKey,
      '--key-password', CLIENT_KEY_PASSWORD, '--ca', pki.files.ca, '--server-name', SERVER_NAME, '--json']);
    assert.equal(run.code, 0, `${run.stderr}${run.stdout}\n${fixture.server.log().slice(-3000)}`);
    const out = JSON.parse(run.stdout);
    assert.equal(out.result, 'accept');
    assert.equal(out.mppeKeysMatch, true, 'the MSK our peer derived equals the MS-MPPE keys hostapd sent');
    const misplaced = await runMain(['auth', '--radius', `127.0.0.1:${fixture.server.port}`, '--secret', SECRET, '--method', 'teap',
      '--identity', CLIENT_IDENTITY, '--password', 'x', '--cert', pki.files.clientCert, '--key', pki.files.clientKey, '--ca', pki.files.ca]);
    assert.notEqual(misplaced.code, 0);
    assert.match(misplaced.stderr, /--cert and --key apply to --method tls, and to --method teap with an inner tls/);
  });

  it('a client certificate from a CA hostapd does not trust: Access-Reject, no MSK', async () => {
    const stranger = await strangerCertificate(fixture.pki);
    const before = fixture.server.log().length;
    const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '',
      { method: 'teap', tls: { ...trust(), innerMethod: 'tls', cert: stranger.cert, key: stranger.key } });
    assertAccessReject(result, fixture.server.log().slice(-3000));
    assert.equal(result.msk, undefined);
    // Refused by hostapd's inner handshake (its TLS alert), and said so by our peer.
    const log = await fixture.server.logUntil(before, HOSTAPD_VERDICT);
    assert.match(log, /authsrv: local TLS alert/);
    assert.match(log, /EAP-TLS: CONTINUE -> FAILURE/);
    assert.match(String(result.reason), /did not accept the client certificate/);
  });
});

/** `serve --methods teap` with `args` (and the PKI's server certificate), and eapol_test's options against it. */
async function withTeapServe(secret: string, args: (pki: InteropPki) => string[],
  body: (target: EapolTestOptions, pki: InteropPki, output: () => string) => Promise<void>): Promise<void> {
  const pki = await makeInteropPki();
  const dir = makeTempDir('serve-teap-tls');
  writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ tobias: { password: 'tobias pa55' } }));
  const serve = await startEaphostServe(0, ['--secret', secret, '--users', join(dir.path, 'users.json'), '--methods', 'teap',
    '--cert', pki.files.serverCert, '--key', pki.files.serverKey, ...args(pki)]);
  try {
    await body({ program: teapHostap().eapolTest, host: '127.0.0.1', port: serve.port, secret, caCert: pki.files.ca,
      serverName: SERVER_NAME, timeoutSeconds: 10, method: 'TEAP', phase2: 'auth=TLS', identity: CLIENT_IDENTITY,
      password: '', caCert2: pki.files.ca }, pki, serve.output);
  } finally {
    const code = await serve.stop();
    dir.remove();
    pki.remove();
    assert.equal(code, 0, serve.output());
  }
}

/** eapol_test's inner EAP-TLS client certificate: the PKI's, which serve's --ca trusts. */
const innerClient = (pki: InteropPki) => ({ clientCert2: pki.files.clientCert, privateKey2: pki.files.clientKey,
  privateKey2Password: CLIENT_KEY_PASSWORD });

function assertAccepted(run: EapolTestResult, output: () => string): void {
  assert.equal(run.success, true, `${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
  assert.equal(run.mppeKeysOk, 1, 'eapol_test compared its MSK with our MS-MPPE keys');
  assert.equal(run.mppeKeysMismatch, 0);
  assert.doesNotMatch(run.stdout, /Compound MAC did not match/);
}

describe('TEAP with inner EAP-TLS: hostap\'s eapol_test against `eaphost serve --methods teap --inner-method tls`', function () {
  this.timeout(15 * 60_000);
  const SECRET = 'eapol-test-teap-tls-secret';

  it('eapol_test succeeds with "MPPE keys OK: 1"; a client certificate from an untrusted CA fails', () =>
    withTeapServe(SECRET, (pki) => ['--inner-method', 'tls', '--ca', pki.files.ca], async (target, pki, output) => {
      const run = await runEapolTest({ ...target, ...innerClient(pki) });
      assertAccepted(run, output);
      assert.match(run.stdout, /EAP-TEAP: Selected Phase 2 EAP vendor 0 method 13/, 'the inner method was EAP-TLS');
      // Our Crypto-Binding carried both Compound MACs (Flags 3), and hostap's peer computed both
      // from its own inner EAP-TLS keys (the EMSK one from the IMSK its EMSK gives) and found ours.
      assert.match(run.stdout, /EAP-TEAP: Crypto-Binding TLV: Version 1 Received Version 1 Flags 3 Sub-Type 0/);
      assert.match(run.stdout, /EAP-TEAP: IMSK from EMSK/);
      for (const chain of ['MSK', 'EMSK']) {
        const mac = (which: string) => new RegExp(`EAP-TEAP: ${which} ${chain} Compound MAC - hexdump\\(len=20\\): ([0-9a-f ]+)`).exec(run.stdout)?.[1];
        assert.ok(mac('Calculated'), `hostap checked the ${chain} Compound MAC`);
        assert.equal(mac('Received'), mac('Calculated'), `${chain} Compound MAC`);
      }
      const stranger = await strangerCertificate(pki);
      const refused = await runEapolTest({ ...target, clientCert2: stranger.certFile, privateKey2: stranger.keyFile });
      assert.equal(refused.success, false, refused.stdout.slice(-3000));
      assert.match(refused.stdout, /Access-Reject/);
      // Our inner EAP-TLS server refused the certificate with a TLS alert eapol_test read.
      assert.match(refused.stdout, /SSL3 alert: read \(remote end reported an error\):fatal:unknown CA/, refused.stdout.slice(-3000));
    }));

  it('--inner-method mschapv2,tls: eapol_test Naks EAP-MSCHAPv2 asking for EAP-TLS, as Windows 11 does; we switch', () =>
    withTeapServe(SECRET, (pki) => ['--inner-method', 'mschapv2,tls', '--ca', pki.files.ca], async (target, pki, output) => {
      const run = await runEapolTest({ ...target, ...innerClient(pki) });
      assertAccepted(run, output);
      // hostap's peer was offered EAP-MSCHAPv2 first, refused it (it allows only TLS), then ran EAP-TLS.
      const phase2 = run.stdout.slice(run.stdout.indexOf('EAP-TEAP: Phase 2 Request: type=0:26'));
      assert.match(phase2, /^EAP-TEAP: Phase 2 Request: type=0:26\nTLS: Phase 2 Request: Nak type=26\n/,
        'offered EAP-MSCHAPv2 first, which eapol_test Naks');
      assert.match(phase2, /EAP-TEAP: Phase 2 Request: type=0:13[\s\S]*EAP-TEAP: Selected Phase 2 EAP vendor 0 method 13/,
        'then EAP-TLS');
    }));

  it('--inner-method mschapv2 (EAP-TLS not offered): eapol_test\'s Nak for EAP-TLS ends in Access-Reject', () =>
    withTeapServe(SECRET, () => ['--inner-method', 'mschapv2'], async (target, pki) => {
      const run = await runEapolTest({ ...target, ...innerClient(pki) });
      assert.equal(run.success, false, run.stdout.slice(-3000));
      assert.match(run.stdout, /Access-Reject/);
      assert.doesNotMatch(run.stdout, /Selected Phase 2 EAP vendor 0 method 13/, 'no inner EAP-TLS ran');
    }));

  it('--inner-method tls --teap-secondary-inner-method mschapv2: the machine by EAP-TLS, then the user by EAP-MSCHAPv2', () =>
    withTeapServe(SECRET, (pki) => ['--inner-method', 'tls', '--teap-secondary-inner-method', 'mschapv2', '--ca', pki.files.ca],
      async (target, pki, output) => {
        const machine = { machineIdentity: CLIENT_IDENTITY, machinePhase2: 'auth=TLS', machineCaCert: pki.files.ca,
          machineClientCert: pki.files.clientCert, machinePrivateKey: pki.files.clientKey, machinePrivateKeyPassword: CLIENT_KEY_PASSWORD };
        const run = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55', phase2: 'auth=MSCHAPV2', ...machine });
        assertAccepted(run, output);
        assert.match(run.stdout, /Identity-Type: 2[\s\S]*Selected Phase 2 EAP vendor 0 method 13[\s\S]*Identity-Type: 1[\s\S]*Selected Phase 2 EAP vendor 0 method 26/,
          'the machine credential by EAP-TLS, then the user\'s by EAP-MSCHAPv2');
        const wrongUser = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa56', phase2: 'auth=MSCHAPV2', ...machine });
        assert.equal(wrongUser.success, false);
        assert.match(wrongUser.stdout, /Access-Reject/);
      }));
});

describe('TEAP chaining as Windows sets it up: our peer against hostapd (eap_teap_id=5)', function () {
  this.timeout(15 * 60_000);
  const SECRET = 'hostapd-teap-chain-tls-secret';
  const PASSWORD = 'chain pa55';
  // The user is asked for first (Identity-Type 1), then the machine (2); hostapd proposes EAP-TLS
  // each time, so our peer Naks it for the user's inner method, asking for EAP-MSCHAPv2.
  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, certificates, program: teapHostap().hostapd, tlsFlags: '[ENABLE-TLSv1.3]',
    users: [{ identity: CLIENT_IDENTITY, password: PASSWORD, methods: ['TEAP'], phase2: ['TLS', 'MSCHAPV2'] }],
    extraConfig: [...HOSTAPD_TEAP_CONFIG, 'eap_teap_id=5'],
  }));

  it('--inner-method tls --teap-secondary-inner-method mschapv2: Access-Accept, two bound inner methods, MSK = hostapd\'s keys', async () => {
    const before = fixture.server.log().length;
    const result = await authenticateOverRadius({ host: fixture.server.host, port: fixture.server.port, secret: SECRET },
      CLIENT_IDENTITY, PASSWORD, { method: 'teap', tls: { ca: fixture.pki.ca, serverName: SERVER_NAME, innerMethod: 'tls',
        teapSecondaryInnerMethod: 'mschapv2', ...clientCertificate(fixture.pki) } });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    const log = await fixture.server.logUntil(before, HOSTAPD_VERDICT);
    assert.equal(log.match(/EAP-TEAP: Valid Crypto-Binding TLV received/g)?.length, 2, 'one Crypto-Binding per inner method');
    assert.match(log, /EAP-TEAP: Phase 2 type Nak'ed/, 'our peer refused EAP-TLS for the user');
    assert.match(log, /EAP-TLS: CONTINUE -> SUCCESS/, 'the machine\'s inner EAP-TLS ran');
    assert.match(log, /Continue with inner EAP authentication for second credential/);
  });
});
