import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NetworkProfile, ProfileError, writeEapConfig, writeNetworkManager, writeWindowsProfiles, writeWpaSupplicant,
} from '../../lib/profile';
import { readEapConfig } from '../../lib/profile/geant-eap-config';
import { HOSTAPD_VERDICT, HostapdUser, startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { makeTempDir, runProgram } from '../support/programs';
import { HOSTAPD_TEAP_CONFIG, teapHostap } from '../support/teap-hostap';
import { runMain, secretFlag } from '../support/cli-run';

/**
 * A TEAP network profile against hostapd's TEAP server (hostap 2.10 built with TEAP from Debian's
 * source package): the wpa_supplicant block written from it authenticates with hostap's own
 * eapol_test, whose "MPPE keys OK" compares its MSK with what hostapd released; `eaphost auth
 * --profile` runs the same profile through our peer; another server name fails both.
 */
const SECRET = 'profile-teap-secret';
const USER = { identity: 'quinn', password: 'quinn pa55 wörd' };
const P12_PASSWORD = 'p12 passphrase';

/**
 * hostapd's TEAP server holding `users` (and `extraConfig`) for a describe, with the two ways a
 * written profile runs against it: eapol_test reading the wpa_supplicant text, and `eaphost auth
 * --profile` reading the eap-config document (or the JSON model).
 */
function teapProfileServer(name: string, users: HostapdUser[], extraConfig: string[] = []) {
  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, certificates, program: teapHostap().hostapd, users, extraConfig: [...HOSTAPD_TEAP_CONFIG, ...extraConfig],
  }));
  const dir = makeTempDir(name);
  after(() => dir.remove());

  async function eapolTest(written: NetworkProfile): Promise<{ code: number | null; stdout: string }> {
    const config = join(dir.path, 'wpa_supplicant.conf');
    // eapol_test runs the first network block (the Wi-Fi one); every block carries the same EAP settings.
    writeFileSync(config, writeWpaSupplicant(written, { secrets: true }).text, { mode: 0o600 });
    const server = fixture.server;
    return runProgram(teapHostap().eapolTest, ['-c', config, '-a', server.host, '-p', String(server.port), '-s', SECRET, '-t', '10'],
      { timeoutMs: 30_000 });
  }

  async function eaphostAuth(written: NetworkProfile, format: 'eap-config' | 'json' = 'eap-config')
    : Promise<{ code: number; report: Record<string, unknown> }> {
    const file = join(dir.path, `profile.${format}`);
    writeFileSync(file, format === 'json' ? JSON.stringify(written) : writeEapConfig(written, { secrets: true }).text, { mode: 0o600 });
    const server = fixture.server;
    const run = await runMain(['auth', '--radius', `${server.host}:${server.port}`, ...secretFlag('secret', SECRET), '--profile', file, '--json']);
    return { code: run.code, report: JSON.parse(run.stdout) as Record<string, unknown> };
  }

  async function pkcs12(): Promise<string> {
    const file = join(dir.path, 'client.p12');
    const run = await runProgram('openssl', ['pkcs12', '-export', '-in', fixture.pki.files.clientCert, '-inkey', fixture.pki.files.clientKey,
      '-passin', `pass:${CLIENT_KEY_PASSWORD}`, '-passout', `pass:${P12_PASSWORD}`, '-out', file]);
    assert.equal(run.code, 0, run.stderr);
    return readFileSync(file).toString('base64');
  }

  return { fixture: () => fixture, eapolTest, eaphostAuth, pkcs12 };
}

describe('a TEAP network profile against hostapd\'s TEAP server', function () {
  this.timeout(90_000);
  const { fixture, eapolTest, eaphostAuth } = teapProfileServer('profile-teap', [{ ...USER, methods: ['TEAP'], phase2: ['MSCHAPV2'] }]);

  const profile = (serverNames = [SERVER_NAME]): NetworkProfile => ({
    version: 1, name: 'TEAP', networks: [{ type: 'wifi', ssid: 'corp' }, { type: 'wired' }],
    // No anonymous outer identity: hostapd's user file names the outer identity too.
    eap: [{ method: 'teap', innerMethod: 'mschapv2', ca: [fixture().pki.ca], serverNames }],
    credentials: { ...USER },
  });

  it('the wpa_supplicant block (eap=TEAP, an empty PAC store) authenticates with eapol_test, MPPE keys OK', async () => {
    const text = writeWpaSupplicant(profile(), { secrets: true }).text;
    assert.match(text, /^\teap=TEAP$/m);
    assert.match(text, /^\tphase2="auth=MSCHAPV2"$/m);
    const run = await eapolTest(profile());
    assert.equal(run.code, 0, `${run.stdout.slice(-4000)}\n${fixture().server.log().slice(-2000)}`);
    assert.match(run.stdout, /^MPPE keys OK: 1\s+mismatch: 0$/m);
    assert.match(run.stdout, /^SUCCESS$/m);
  });

  it('eaphost auth --profile (its eap-config) succeeds with MSK = the MPPE keys hostapd sends', async () => {
    const { code, report } = await eaphostAuth(profile());
    assert.equal(code, 0, JSON.stringify(report));
    assert.equal(report.success, true);
    assert.equal(report.mppeKeysMatch, true);
  });

  it('the same profile with another server name fails, in eapol_test and in eaphost auth', async () => {
    const other = profile(['radius.other.invalid']);
    const run = await eapolTest(other);
    assert.notEqual(run.code, 0);
    assert.doesNotMatch(run.stdout, /^SUCCESS$/m);
    const { code, report } = await eaphostAuth(other);
    assert.equal(code, 1, JSON.stringify(report));
    assert.equal(report.success, false);
  });

  it('eap-config carries TEAP (type 55) and its inner method back; NetworkManager, which has no TEAP, is refused in words', () => {
    const read = readEapConfig(writeEapConfig(profile()).text);
    assert.equal(read.profile.eap[0].method, 'teap');
    assert.equal(read.profile.eap[0].innerMethod, 'mschapv2');
    assert.match(writeEapConfig(profile()).text, /<Type>55<\/Type>/);
    assert.throws(() => writeNetworkManager(profile()), (error: unknown) =>
      error instanceof ProfileError && error.code === 'unsupported' && /TEAP/.test(error.message));
  });

  it('the Windows WLAN profile carries Windows\' own TEAP; an inner method it cannot run is refused, not dropped', () => {
    const [wlan] = writeWindowsProfiles(profile()).documents;
    assert.match(wlan.text, /EapTeapConnectionPropertiesV1/);
    const gtc = profile();
    gtc.eap[0].innerMethod = 'gtc';
    assert.throws(() => writeWindowsProfiles(gtc), (error: unknown) => error instanceof ProfileError && error.code === 'unsupported');
  });
});

describe('a TEAP network profile with inner EAP-TLS against hostapd\'s TEAP server', function () {
  this.timeout(90_000);
  const server = teapProfileServer('profile-teap-tls', [{ identity: CLIENT_IDENTITY, password: '', methods: ['TEAP'], phase2: ['TLS'] }]);

  const profile = async (): Promise<NetworkProfile> => ({
    version: 1, name: 'TEAP machine', networks: [{ type: 'wired' }],
    eap: [{ method: 'teap', innerMethod: 'tls', ca: [server.fixture().pki.ca], serverNames: [SERVER_NAME],
      clientCertificate: { pkcs12: await server.pkcs12(), passphrase: P12_PASSWORD } }],
    credentials: { identity: CLIENT_IDENTITY },
  });

  it('the wpa_supplicant block (phase2 auth=TLS, private_key2) authenticates with eapol_test, MPPE keys OK', async () => {
    const written = await profile();
    const text = writeWpaSupplicant(written, { secrets: true }).text;
    assert.match(text, /^\tphase2="auth=TLS"$/m);
    assert.match(text, /^\tprivate_key2="blob:\/\/eaphost-client"$/m);
    assert.doesNotMatch(text, /^\tprivate_key=/m, 'the certificate is the inner method\'s, never the outer handshake\'s');
    const before = server.fixture().server.log().length;
    const run = await server.eapolTest(written);
    assert.equal(run.code, 0, `${run.stdout.slice(-4000)}\n${server.fixture().server.log().slice(-2000)}`);
    assert.match(run.stdout, /^MPPE keys OK: 1\s+mismatch: 0$/m);
    assert.match(await server.fixture().server.logUntil(before, HOSTAPD_VERDICT), /EAP-TLS: CONTINUE -> SUCCESS/, 'hostapd ran EAP-TLS inside the tunnel');
  });

  it('eap-config carries the inner EAP-TLS and its PKCS#12 back; eaphost auth --profile with it: MSK = hostapd\'s keys', async () => {
    const written = await profile();
    const text = writeEapConfig(written, { secrets: true }).text;
    assert.match(text, /<InnerAuthenticationMethod>\s*<EAPMethod>\s*<Type>13<\/Type>\s*<\/EAPMethod>\s*<ClientSideCredential>\s*<ClientCertificate /,
      'the certificate is the inner method\'s credential');
    const read = readEapConfig(text).profile.eap[0];
    assert.equal(read.innerMethod, 'tls');
    assert.deepEqual(read.clientCertificate, written.eap[0].clientCertificate);
    const { code, report } = await server.eaphostAuth(written);
    assert.equal(code, 0, JSON.stringify(report));
    assert.equal(report.mppeKeysMatch, true);
  });
});

describe('a TEAP network profile chaining as Windows does (EAP-TLS, then EAP-MSCHAPv2) against hostapd (eap_teap_id=5)', function () {
  this.timeout(90_000);
  const PASSWORD = 'chain pa55';
  const server = teapProfileServer('profile-teap-chain',
    [{ identity: CLIENT_IDENTITY, password: PASSWORD, methods: ['TEAP'], phase2: ['TLS', 'MSCHAPV2'] }], ['eap_teap_id=5']);

  const profile = async (): Promise<NetworkProfile> => ({
    version: 1, name: 'TEAP chained', networks: [{ type: 'wifi', ssid: 'corp' }],
    eap: [{ method: 'teap', innerMethod: 'tls', teapSecondaryInnerMethod: 'mschapv2', ca: [server.fixture().pki.ca],
      serverNames: [SERVER_NAME], clientCertificate: { pkcs12: await server.pkcs12(), passphrase: P12_PASSWORD } }],
    credentials: { identity: CLIENT_IDENTITY, password: PASSWORD },
  });

  it('the wpa_supplicant block (machine_phase2 auth=TLS, phase2 auth=MSCHAPV2) authenticates both credentials with eapol_test', async () => {
    const written = await profile();
    const text = writeWpaSupplicant(written, { secrets: true }).text;
    assert.match(text, /^\tmachine_phase2="auth=TLS"$/m);
    assert.match(text, /^\tphase2="auth=MSCHAPV2"$/m);
    const before = server.fixture().server.log().length;
    const run = await server.eapolTest(written);
    assert.equal(run.code, 0, `${run.stdout.slice(-4000)}\n${server.fixture().server.log().slice(-2000)}`);
    assert.match(run.stdout, /^MPPE keys OK: 1\s+mismatch: 0$/m);
    const log = await server.fixture().server.logUntil(before, HOSTAPD_VERDICT);
    assert.equal(log.match(/EAP-TEAP: Valid Crypto-Binding TLV received/g)?.length, 2);
  });

  it('eaphost auth --profile (the JSON model) runs the same chaining: MSK = hostapd\'s keys', async () => {
    const { code, report } = await server.eaphostAuth(await profile(), 'json');
    assert.equal(code, 0, JSON.stringify(report));
    assert.equal(report.mppeKeysMatch, true);
  });

  it('Windows\' profile holds both inner methods in order; eap-config, which has no chaining, says what it left out', async () => {
    const written = await profile();
    const [wlan] = writeWindowsProfiles(written).documents;
    const types = [...wlan.text.matchAll(/<InnerMethodConfig>[\s\S]*?<Type xmlns="http:\/\/www\.microsoft\.com\/provisioning\/EapCommon">(\d+)<\/Type>/g)]
      .map((match) => Number(match[1]));
    assert.deepEqual(types, [13, 26]);
    const { notes } = writeEapConfig(written, { secrets: true });
    assert.ok(notes.some((note) => note.path === 'eap[0].teapSecondaryInnerMethod' && /no EAP chaining/.test(note.message)), JSON.stringify(notes));
  });
});
