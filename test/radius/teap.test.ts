import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertTls13Accepted, EapolTestOptions, ONLY_TLS13, runEapolTest, TUNNEL_COMMITMENT } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { HOSTAPD_VERDICT, startHostapd } from '../support/hostapd';
import { makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { makeTempDir } from '../support/programs';
import { HOSTAPD_TEAP_CONFIG, teapHostap } from '../support/teap-hostap';
import { assertAccessReject } from '../support/radius-verdict';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';
import { runMain } from '../support/cli-run';

/**
 * TEAP (RFC 9930) against hostap 2.10 built with TEAP from Debian's own source package: our
 * peer through our RADIUS client to hostapd's TEAP server (its verdict and MPPE keys are the
 * truth), and its eapol_test against `eaphost serve --methods teap` (its "MPPE keys OK: 1",
 * comparing the MSK it derived with the MS-MPPE keys we released, is the truth).
 */
const EAP_TYPE_TEAP = 55;

/** hostapd's TEAP server holding `user` (TEAP outside, EAP-MSCHAPv2 inside), TLS 1.2 and 1.3. */
function teapHostapd(secret: string, user: { identity: string; password: string }, extraConfig: string[] = []) {
  return interopServer((certificates) => startHostapd({
    secret, certificates, program: teapHostap().hostapd, tlsFlags: '[ENABLE-TLSv1.3]',
    users: [{ ...user, methods: ['TEAP'], phase2: ['MSCHAPV2', 'GTC'] }],
    extraConfig: [...HOSTAPD_TEAP_CONFIG, ...extraConfig],
  }));
}

/** `serve --methods teap` (and `args`) with a user, tobias, and a machine, host/pc-7, for the
 *  length of `body`. */
async function withTeapServe(secret: string, args: string[],
  body: (target: Omit<EapolTestOptions, 'identity' | 'password'>, output: () => string) => Promise<void>): Promise<void> {
  const pki = await makeInteropPki();
  const dir = makeTempDir('serve-teap');
  writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ tobias: { password: 'tobias pa55' },
    'host/pc-7': { password: 'machine pa55' } }));
  const serve = await startEaphostServe(0, ['--secret', secret, '--users', join(dir.path, 'users.json'), '--methods', 'teap',
    '--cert', pki.files.serverCert, '--key', pki.files.serverKey, ...args]);
  try {
    await body({ program: teapHostap().eapolTest, host: '127.0.0.1', port: serve.port, secret, caCert: pki.files.ca,
      serverName: SERVER_NAME, timeoutSeconds: 10, method: 'TEAP', phase2: 'auth=MSCHAPV2' }, serve.output);
  } finally {
    const code = await serve.stop();
    dir.remove();
    pki.remove();
    assert.equal(code, 0, serve.output());
  }
}

describe('TEAP: our peer against hostapd\'s TEAP server', function () {
  this.timeout(15 * 60_000);  // the first run builds hostap (a few minutes), later runs find it cached
  const SECRET = 'hostapd-teap-secret';
  const USER = { identity: 'teresa', password: 'teresa pa55' };
  const fixture = teapHostapd(SECRET, USER);
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });
  const trust = () => ({ ca: fixture.pki.ca, serverName: SERVER_NAME });

  it('inner EAP-MSCHAPv2: Access-Accept, MSK = the MPPE keys hostapd sends', async () => {
    const from = fixture.server.log().length;
    const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password, { method: 'teap', tls: trust() });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    assert.match(await fixture.server.logUntil(from, HOSTAPD_VERDICT), /EAP-TEAP: Valid Crypto-Binding TLV received/);
  });

  it('inner EAP-MSCHAPv2 over TLS 1.3: Access-Accept, MSK = the MPPE keys hostapd sends', async () => {
    const from = fixture.server.log().length;
    const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
      { method: 'teap', tls: { ...trust(), tls: { min: '1.3' } } });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    assert.match(await fixture.server.logUntil(from, HOSTAPD_VERDICT), /^SSL: Using TLS version TLSv1\.3$/m);
  });

  it('inner EAP-GTC, a method without keys (zero IMSK): Access-Accept, MSK = the MPPE keys hostapd sends', async () => {
    const from = fixture.server.log().length;
    const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
      { method: 'teap', tls: { ...trust(), innerMethod: 'gtc' } });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    assert.match(await fixture.server.logUntil(from, HOSTAPD_VERDICT), /EAP-TEAP: Valid Crypto-Binding TLV received/);
  });

  it('our peer held to Windows\' key order refuses hostapd\'s Compound MAC (hostap\'s order): no success, no MSK',
    async () => {
      const from = fixture.server.log().length;
      const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
        { method: 'teap', tls: { ...trust(), teapMsChapV2KeyOrder: 'windows' } });
      assert.equal(result.success, false, fixture.server.log().slice(-3000));
      assert.equal(result.msk, undefined);
      assert.match(String(result.reason), /Crypto-Binding TLV does not verify/);
      assert.match(await fixture.server.logUntil(from, HOSTAPD_VERDICT), /EAP-TEAP: Result TLV indicated failure/);
    });

  it('eaphost load --method teap: 12 authentications, 4 at a time, all accepted', async () => {
    const dir = makeTempDir('teap-load');
    try {
      writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
      const { code, stdout, stderr } = await runMain(['load', '--radius', `127.0.0.1:${fixture.server.port}`, '--secret', SECRET,
        '--method', 'teap', '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME,
        '--users', join(dir.path, 'users.json'), '--count', '12', '--concurrency', '4', '--json']);
      assert.equal(code, 0, `${stdout}\n${stderr}\n${fixture.server.log().slice(-2000)}`);
      const summary = JSON.parse(stdout.split('\n')[0]);
      assert.equal(summary.successes, 12);
      assert.equal(summary.failures + summary.timeouts + summary.errors, 0);
    } finally {
      dir.remove();
    }
  });

  it('a wrong password: Access-Reject, no MSK', async () => {
    const result = await authenticateOverRadius(endpoint(), USER.identity, 'wrong', { method: 'teap', tls: trust() });
    assertAccessReject(result, fixture.server.log().slice(-3000));
    assert.equal(result.msk, undefined);
  });
});

describe('TEAP: EAP chaining against hostapd (eap_teap_id=5: a user, then a machine credential)', function () {
  this.timeout(15 * 60_000);
  const SECRET = 'hostapd-teap-chain-secret';
  const USER = { identity: 'chandra', password: 'chandra pa55' };
  const fixture = teapHostapd(SECRET, USER, ['eap_teap_id=5']);

  it('two inner EAP-MSCHAPv2 runs, each bound: Access-Accept, MSK = the MPPE keys hostapd sends', async () => {
    const from = fixture.server.log().length;
    const result = await authenticateOverRadius({ host: fixture.server.host, port: fixture.server.port, secret: SECRET },
      USER.identity, USER.password, { method: 'teap', tls: { ca: fixture.pki.ca, serverName: SERVER_NAME } });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    const log = await fixture.server.logUntil(from, HOSTAPD_VERDICT);
    assert.equal(log.match(/EAP-TEAP: Valid Crypto-Binding TLV received/g)?.length, 2, 'one Crypto-Binding per inner method');
    assert.match(log, /Continue with inner EAP authentication for second credential/);
  });
});

describe('TEAP: Basic-Password-Auth against hostapd (eap_teap_auth=1)', function () {
  this.timeout(15 * 60_000);
  const SECRET = 'hostapd-teap-basic-secret';
  const USER = { identity: 'bastian', password: 'bastian pa55' };
  const fixture = teapHostapd(SECRET, USER, ['eap_teap_auth=1']);
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });

  it('the right password: Access-Accept, MSK = the MPPE keys hostapd sends; a wrong one: Access-Reject', async () => {
    const tls = { ca: fixture.pki.ca, serverName: SERVER_NAME };
    const from = fixture.server.log().length;
    const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password, { method: 'teap', tls });
    assertTlsKeysFromServer(result, EAP_TYPE_TEAP, () => fixture.server.log());
    assert.match(await fixture.server.logUntil(from, HOSTAPD_VERDICT), /Basic-Password-Auth-Resp/);
    const wrong = await authenticateOverRadius(endpoint(), USER.identity, 'wrong', { method: 'teap', tls });
    assertAccessReject(wrong, fixture.server.log().slice(-3000));
  });
});

describe('TEAP: hostap\'s eapol_test against `eaphost serve --methods teap`', function () {
  this.timeout(15 * 60_000);
  const SECRET = 'eapol-test-teap-secret';

  it('inner EAP-MSCHAPv2: eapol_test succeeds with "MPPE keys OK: 1"; a wrong password fails', () =>
    withTeapServe(SECRET, [], async (target, output) => {
      const run = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55' });
      assert.equal(run.success, true, `${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
      assert.equal(run.mppeKeysOk, 1, 'eapol_test compared its MSK with our MS-MPPE keys');
      assert.equal(run.mppeKeysMismatch, 0);
      // hostap's TEAP peer ends with Result failure unless our Crypto-Binding TLV verified, so
      // its SUCCESS is also the verdict on our Compound MAC.
      assert.doesNotMatch(run.stdout, /Compound MAC did not match/);
      const wrong = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa56' });
      assert.equal(wrong.success, false);
      assert.match(wrong.stdout, /Access-Reject/);
      assert.doesNotMatch(output(), /tobias pa55|eapol-test-teap-secret/, 'never prints secrets');
    }));

  it('both ends held to TLS 1.3: eapol_test negotiates it, "MPPE keys OK: 1", no commitment message in the tunnel (RFC 9427)', () =>
    withTeapServe(SECRET, ['--tls-min', '1.3'], async (target, output) => {
      const run = await runEapolTest({ ...target, phase1: ONLY_TLS13, identity: 'tobias', password: 'tobias pa55' });
      // No Session-Id to compare: hostap 2.10's TEAP makes it of tls-unique, not of RFC 9427's Method-Id (docs/teap.md).
      assertTls13Accepted('TEAP', run, output, { keyName: false });
      assert.match(run.stdout, /^EAP-TEAP: Decrypted Phase 2 TLV\(s\) - hexdump/m, 'the tunnel\'s data is in the log');
      assert.doesNotMatch(run.stdout, TUNNEL_COMMITMENT);
    }));

  it('a SHA-256 cipher suite and a SHA-384 one: TLS-PRF and the Compound MAC follow the suite, "MPPE keys OK: 1"', () =>
    withTeapServe(SECRET, [], async (target, output) => {
      for (const opensslCiphers of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384']) {
        const run = await runEapolTest({ ...target, opensslCiphers, identity: 'tobias', password: 'tobias pa55' });
        assert.equal(run.success, true, `${opensslCiphers}\n${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
        assert.equal(run.mppeKeysOk, 1, opensslCiphers);
        assert.match(run.stdout, opensslCiphers.endsWith('SHA256') ? /MAC algorithm: HMAC-SHA256/ : /MAC algorithm: HMAC-SHA384/);
      }
    }));

  it('inner EAP-GTC after a Nak of EAP-MSCHAPv2: eapol_test succeeds with "MPPE keys OK: 1"', () =>
    withTeapServe(SECRET, [], async (target, output) => {
      const run = await runEapolTest({ ...target, phase2: 'auth=GTC', identity: 'tobias', password: 'tobias pa55' });
      assert.equal(run.success, true, `${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
      assert.equal(run.mppeKeysOk, 1);
    }));

  it('--teap-basic-password: eapol_test answers Basic-Password-Auth, "MPPE keys OK: 1"; a wrong password fails', () =>
    withTeapServe(SECRET, ['--teap-basic-password'], async (target, output) => {
      const run = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55' });
      assert.equal(run.success, true, `${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
      assert.equal(run.mppeKeysOk, 1);
      assert.match(run.stdout, /Basic-Password-Auth-Req/);
      const wrong = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa56' });
      assert.equal(wrong.success, false);
      assert.match(wrong.stdout, /Access-Reject/);
    }));

  it('--teap-chaining: eapol_test authenticates its machine, then its user, "MPPE keys OK: 1"', () =>
    withTeapServe(SECRET, ['--teap-chaining', '--log'], async (target, output) => {
      const run = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55',
        machineIdentity: 'host/pc-7', machinePassword: 'machine pa55' });
      assert.equal(run.success, true, `${run.stdout.slice(-4000)}\n${output().slice(-2000)}`);
      assert.equal(run.mppeKeysOk, 1);
      assert.match(run.stdout, /Identity-Type: 2/, 'asked for the machine credential');
      assert.match(run.stdout, /Identity-Type: 1/, 'then for the user\'s');
      const wrongMachine = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55',
        machineIdentity: 'host/pc-7', machinePassword: 'not the machine' });
      assert.equal(wrongMachine.success, false);
      assert.match(wrongMachine.stdout, /Access-Reject/);
    }));

  it('--teap-mschapv2-key-order windows: hostap 2.10\'s peer refuses our Compound MAC, so the right password fails', () =>
    withTeapServe(SECRET, ['--teap-mschapv2-key-order', 'windows'], async (target) => {
      const run = await runEapolTest({ ...target, identity: 'tobias', password: 'tobias pa55' });
      assert.equal(run.success, false, run.stdout.slice(-3000));
      assert.match(run.stdout, /EAP-TEAP: MSK Compound MAC did not match/, 'refused for its Compound MAC, nothing else');
      assert.match(run.stdout, /Access-Reject/);
    }));
});
