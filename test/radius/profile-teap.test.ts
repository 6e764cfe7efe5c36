import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkProfile, ProfileError, readEapConfig, writeEapConfig, writeNetworkManager, writeWindowsProfiles, writeWpaSupplicant } from '../../lib/profile';
import { startHostapd } from '../support/hostapd';
import { SERVER_NAME } from '../support/interop-pki';
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

describe('a TEAP network profile against hostapd\'s TEAP server', function () {
  this.timeout(90_000);
  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, certificates, program: teapHostap().hostapd,
    users: [{ ...USER, methods: ['TEAP'], phase2: ['MSCHAPV2'] }], extraConfig: [...HOSTAPD_TEAP_CONFIG],
  }));
  const dir = makeTempDir('profile-teap');
  after(() => dir.remove());

  const profile = (serverNames = [SERVER_NAME]): NetworkProfile => ({
    version: 1, name: 'TEAP', networks: [{ type: 'wifi', ssid: 'corp' }, { type: 'wired' }],
    // No anonymous outer identity: hostapd's user file names the outer identity too.
    eap: [{ method: 'teap', innerMethod: 'mschapv2', ca: [fixture.pki.ca], serverNames }],
    credentials: { ...USER },
  });

  async function eapolTest(written: NetworkProfile): Promise<{ code: number | null; stdout: string }> {
    const config = join(dir.path, 'wpa_supplicant.conf');
    // eapol_test runs the first network block (the Wi-Fi one); every block carries the same EAP settings.
    writeFileSync(config, writeWpaSupplicant(written, { secrets: true }).text, { mode: 0o600 });
    const server = fixture.server;
    return runProgram(teapHostap().eapolTest, ['-c', config, '-a', server.host, '-p', String(server.port), '-s', SECRET, '-t', '10'],
      { timeoutMs: 30_000 });
  }

  async function eaphostAuth(written: NetworkProfile): Promise<{ code: number; report: Record<string, unknown> }> {
    const file = join(dir.path, 'profile.eap-config');
    writeFileSync(file, writeEapConfig(written, { secrets: true }).text, { mode: 0o600 });
    const server = fixture.server;
    const run = await runMain(['auth', '--radius', `${server.host}:${server.port}`, ...secretFlag('secret', SECRET), '--profile', file, '--json']);
    return { code: run.code, report: JSON.parse(run.stdout) as Record<string, unknown> };
  }

  it('the wpa_supplicant block (eap=TEAP, an empty PAC store) authenticates with eapol_test, MPPE keys OK', async () => {
    const text = writeWpaSupplicant(profile(), { secrets: true }).text;
    assert.match(text, /^\teap=TEAP$/m);
    assert.match(text, /^\tphase2="auth=MSCHAPV2"$/m);
    const run = await eapolTest(profile());
    assert.equal(run.code, 0, `${run.stdout.slice(-4000)}\n${fixture.server.log().slice(-2000)}`);
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
