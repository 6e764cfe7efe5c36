import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkProfile, writeWpaSupplicant } from '../../lib/profile';
import type { ProfileEap } from '../../lib/profile/network-profile';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { findProgram, makeTempDir, runProgram } from '../support/programs';
import { runMain } from '../support/cli-run';

/**
 * Network profiles against a real server nobody here wrote (FreeRADIUS 3.2): the wpa_supplicant
 * configuration written from a profile authenticates with eapol_test, whose own "MPPE keys OK"
 * compares its MSK with the keys FreeRADIUS released; `eaphost auth --radius --profile` runs the
 * same profile and reports MSK = MPPE keys; the same profile with another server name fails.
 */

const SECRET = 'profile-freeradius-secret';
const USER = { identity: 'pat', password: 'pat pa55 wörd' };
const P12_PASSWORD = 'p12 passphrase';

describe('network profiles against FreeRADIUS', function () {
  this.timeout(90_000);
  const fixture = interopServer((certificates) => startFreeRadius({ secret: SECRET, users: [USER], certificates }));
  const dir = makeTempDir('profile-freeradius');
  after(() => dir.remove());

  /**
   * The client's certificate and key as PKCS#12; `extra` PEM certificate files go in the bundle
   * too, and `leaf` (unencrypted key) replaces the client's certificate and key.
   */
  async function pkcs12(extra: string[] = [], leaf?: { cert: string; key: string }): Promise<string> {
    const file = join(dir.path, 'client.p12');
    const own = leaf === undefined
      ? ['-in', fixture.pki.files.clientCert, '-inkey', fixture.pki.files.clientKey, '-passin', `pass:${CLIENT_KEY_PASSWORD}`]
      : ['-in', leaf.cert, '-inkey', leaf.key];
    const run = await runProgram('openssl', ['pkcs12', '-export', ...own,
      ...extra.flatMap((certificate) => ['-certfile', certificate]), '-passout', `pass:${P12_PASSWORD}`, '-out', file]);
    assert.equal(run.code, 0, run.stderr);
    const { readFileSync } = await import('node:fs');
    return readFileSync(file).toString('base64');
  }

  async function profileFor(method: 'peap' | 'ttls' | 'tls', extra: Partial<ProfileEap> = {}): Promise<NetworkProfile> {
    const eap: ProfileEap = { method, ca: [fixture.pki.ca], serverNames: [SERVER_NAME], ...extra };
    if (method === 'tls') eap.clientCertificate = { pkcs12: await pkcs12(), passphrase: P12_PASSWORD };
    return {
      version: 1, name: 'Interop', networks: [{ type: 'wired' }], eap: [eap],
      credentials: method === 'tls' ? { identity: CLIENT_IDENTITY } : { ...USER },
    };
  }

  async function eapolTest(profile: NetworkProfile): Promise<{ code: number | null; stdout: string }> {
    const config = join(dir.path, 'wpa_supplicant.conf');
    writeFileSync(config, writeWpaSupplicant(profile, { secrets: true }).text, { mode: 0o600 });
    const server = fixture.server;
    return runProgram(findProgram(['eapol_test'], 'eapoltest'),
      ['-c', config, '-a', server.host, '-p', String(server.port), '-s', SECRET, '-t', '5'], { timeoutMs: 20_000 });
  }

  async function eaphostAuth(profile: NetworkProfile): Promise<{ code: number; report: Record<string, unknown> }> {
    const file = join(dir.path, 'profile.json');
    writeFileSync(file, JSON.stringify(profile), { mode: 0o600 });
    const server = fixture.server;
    const run = await runMain(['auth', '--radius', `${server.host}:${server.port}`, '--secret', SECRET, '--profile', file, '--json']);
    return { code: run.code, report: JSON.parse(run.stdout) as Record<string, unknown> };
  }

  const cases: [string, 'peap' | 'ttls' | 'tls', Partial<ProfileEap>][] = [
    ['PEAP-MSCHAPv2', 'peap', { anonymousIdentity: 'anonymous' }],
    ['TTLS-PAP', 'ttls', { phase2: 'pap', anonymousIdentity: 'anonymous' }],
    ['TTLS-MSCHAPv2 on TLS 1.2', 'ttls', { tls: { max: '1.2' } }],
    ['EAP-TLS from a PKCS#12', 'tls', {}],
  ];
  for (const [title, method, extra] of cases) {
    it(`${title}: the wpa_supplicant block authenticates with eapol_test, MPPE keys OK`, async () => {
      const run = await eapolTest(await profileFor(method, extra));
      assert.equal(run.code, 0, `${run.stdout}\n${fixture.server.log()}`);
      assert.match(run.stdout, /^MPPE keys OK: 1\s+mismatch: 0$/m);
      assert.match(run.stdout, /^SUCCESS$/m);
    });

    it(`${title}: eaphost auth --profile succeeds with MSK = the MPPE keys`, async () => {
      const { code, report } = await eaphostAuth(await profileFor(method, extra));
      assert.equal(code, 0, JSON.stringify(report));
      assert.equal(report.success, true);
      assert.equal(report.mppeKeysMatch, true);
    });
  }

  /** Asserts eapol_test and eaphost auth both fail with `profile`; eaphost's report. */
  async function bothRefuse(profile: NetworkProfile): Promise<Record<string, unknown>> {
    const run = await eapolTest(profile);
    assert.notEqual(run.code, 0);
    assert.doesNotMatch(run.stdout, /^SUCCESS$/m);
    const { code, report } = await eaphostAuth(profile);
    assert.equal(code, 1, JSON.stringify(report));
    assert.equal(report.success, false);
    return report;
  }

  for (const method of ['peap', 'ttls', 'tls'] as const) {
    it(`${method}: the same profile with another server name fails, in eapol_test and in eaphost auth`, async () => {
      await bothRefuse(await profileFor(method, { serverNames: ['radius.other.invalid'] }));
    });
  }

  // A CA that merely came inside the client's own PKCS#12 is no trust anchor for the server: with
  // only another CA configured, the server's certificate is refused, in eaphost auth as in
  // eapol_test. Once as the client certificate's issuer (in the chain the client sends), once as
  // a certificate of the bundle that issued nothing in it (a self-signed client certificate:
  // trusting the bundle's CA would get as far as FreeRADIUS refusing the client instead).
  async function selfSignedClient(): Promise<{ cert: string; key: string }> {
    const leaf = { cert: join(dir.path, 'self-signed.pem'), key: join(dir.path, 'self-signed.key') };
    const run = await runProgram('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', leaf.key, '-out', leaf.cert, '-days', '1', '-subj', `/CN=${CLIENT_IDENTITY}`]);
    assert.equal(run.code, 0, run.stderr);
    return leaf;
  }
  for (const [title, own] of [['as the client certificate\'s issuer', () => Promise.resolve(undefined)],
    ['as an extra certificate', selfSignedClient]] as const) {
    it(`tls: the server's CA inside the client's PKCS#12 ${title} does not make the server trusted`, async () => {
      const profile = await profileFor('tls', { ca: [fixture.pki.otherCa] });
      profile.eap[0].clientCertificate = { pkcs12: await pkcs12([fixture.pki.files.ca], await own()), passphrase: P12_PASSWORD };
      const report = await bothRefuse(profile);
      assert.match(String(report.reason), /server's certificate was refused: unknown CA/);
    });
  }
});
