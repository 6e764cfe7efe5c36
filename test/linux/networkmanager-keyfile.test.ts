import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { NetworkProfile, ProfileError, installNetworkManager, writeNetworkManager } from '../../lib/profile';
import type { ProfileEap } from '../../lib/profile/network-profile';
import { uninstrumentedEnv } from '../support/child-env';
import { hostileProfile, withSeed } from '../support/hostile-text';
import { makeTestPkcs12 } from '../support/pkcs12';
import { findProgram } from '../support/programs';

/**
 * The keyfiles read by NetworkManager's own keyfile reader: libnm's nm_keyfile_read (the code the
 * daemon's keyfile plugin runs), then nm_connection_normalize and nm_connection_verify, through
 * test/support/nm-keyfile-read.py. Every field NetworkManager holds is compared with what the
 * profile meant, byte for byte, never with what the writer wrote.
 */

type NmRead = Record<string, unknown> & { error?: string };

const READER = join(__dirname, '..', '..', '..', 'test', 'support', 'nm-keyfile-read.py');

function nmRead(texts: string[]): NmRead[] {
  // libnm0 is what nmcli runs on: the package that brings nmcli brings the reader.
  findProgram(['nmcli'], 'network-manager');
  const run = spawnSync('python3', [READER], { input: JSON.stringify(texts), encoding: 'utf8', env: uninstrumentedEnv(), timeout: 60_000,
    maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as NmRead[];
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');
const ca = createEphemeralCa('radius.example.invalid');

function wifiProfile(ssids: string[], eap: Partial<ProfileEap> = {}, extra: Partial<NetworkProfile> = {}): NetworkProfile {
  return {
    version: 1, name: 'Example', networks: ssids.map((ssid) => ({ type: 'wifi', ssid })),
    eap: [{ method: 'peap', ca: [ca.ca], serverNames: ['radius.example.invalid'], ...eap }],
    credentials: { identity: 'someone@example.invalid' }, ...extra,
  };
}

describe('NetworkManager keyfiles read by NetworkManager\'s own reader', () => {
  it('an SSID of digits and semicolons stays that text, not a byte list', () => {
    for (const ssid of ['69;', '69', '1;2;3', ';']) {
      const [read] = nmRead(writeNetworkManager(wifiProfile([ssid])).files.map((file) => file.text));
      assert.equal(read.error, undefined);
      assert.equal(read.ssid, hex(ssid), `SSID ${JSON.stringify(ssid)}`);
      assert.equal(read.id, ssid);
    }
  });

  it('a backslash before a semicolon in an SSID stays there', () => {
    for (const ssid of ['a\\;b', '\\;', 'x\\', '\\\\;']) {
      const [read] = nmRead(writeNetworkManager(wifiProfile([ssid])).files.map((file) => file.text));
      assert.equal(read.ssid, hex(ssid), `SSID ${JSON.stringify(ssid)}`);
    }
  });

  it('server names reach wpa_supplicant\'s domain_match as the ;-separated list NM documents, a comma inside a name kept', () => {
    const serverNames = ['a,b.example.invalid', 'c.example.invalid'];
    const [read] = nmRead(writeNetworkManager(wifiProfile(['eduroam'], { serverNames })).files.map((file) => file.text));
    assert.deepEqual(String(read['domain-match']).split(';'), serverNames);
  });

  it('installs a profile whose name is at the model\'s 253-byte limit, and NM reads it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eaphost-nm-'));
    try {
      const name = 'é'.repeat(126) + 'x';
      const profile: NetworkProfile = { ...wifiProfile(['eduroam']), name, networks: [{ type: 'wired' }] };
      const written = await installNetworkManager(profile, { directory, reload: false });
      assert.equal(written.length, 1);
      const [read] = nmRead([readFileSync(written[0], 'utf8')]);
      assert.equal(read.error, undefined);
      assert.equal(read.id, `${name} wired`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('two networks whose names sanitise alike get two files', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eaphost-nm-'));
    try {
      const ssids = ['a/b', 'a\\b', 'a_b', '.hidden'];
      const written = await installNetworkManager(wifiProfile(ssids), { directory, reload: false });
      assert.equal(new Set(written).size, ssids.length);
      const names = readdirSync(directory);
      assert.equal(names.length, ssids.length);
      // The keyfile plugin skips hidden files.
      for (const name of names) assert.ok(!name.startsWith('.'), name);
      const read = nmRead(written.map((path) => readFileSync(path, 'utf8')));
      assert.deepEqual(read.map((r) => r.ssid).sort(), ssids.map(hex).sort());
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('hostile profiles: NM reads every field as the profile meant it (fixed number of seeded cases)', () => withSeed((random) => {
    const options = { methods: ['peap', 'peap', 'ttls', 'ttls', 'tls', 'md5', 'mschapv2', 'gtc'] as const, caSets: [[ca.ca]],
      pkcs12: makeTestPkcs12().pkcs12 };
    const CASES = 160;
    let refused = 0;
    const cases: { profile: NetworkProfile; secrets: boolean; files: { name: string; text: string }[] }[] = [];
    for (let i = 0; i < CASES; i++) {
      const profile = hostileProfile(random, options);
      const secrets = random.chance(0.5);
      const refusal = refusalFor(profile, secrets);
      if (refusal) {
        assert.throws(() => writeNetworkManager(profile, { secrets }), (error: unknown) => error instanceof ProfileError &&
          error.path === refusal.path && error.code === refusal.code, `expected a refusal at ${refusal.path}`);
        refused++;
        continue;
      }
      cases.push({ profile, secrets, files: writeNetworkManager(profile, { secrets }).files });
    }
    const read = nmRead(cases.flatMap((c) => c.files.map((file) => file.text)));
    let at = 0;
    for (const { profile, secrets, files } of cases) {
      // One file per distinct network: a repeated one is the same connection.
      const distinct = profile.networks.map((network, index) => ({ key: JSON.stringify(network), index }))
        .filter(({ key }, i, all) => all.findIndex((other) => other.key === key) === i).map(({ index }) => index);
      assert.equal(files.length, distinct.length);
      assert.equal(new Set(files.map((file) => file.name)).size, files.length, 'one file per network');
      for (const [n, file] of files.entries()) {
        const index = distinct[n];
        // NAME_MAX less writeFileReplacing's temporary decoration ('.' + name + '.' + 12 hex + '.tmp').
        assert.ok(Buffer.byteLength(file.name) <= 255 - 18, `file name of ${Buffer.byteLength(file.name)} bytes`);
        assert.match(file.name, /^[^./][^/]*\.nmconnection$/);
        expectRead(read[at++], profile, index, secrets, JSON.stringify(profile.networks[index]));
      }
    }
    // Most cases must reach NetworkManager, or the round trip proves little.
    assert.ok(cases.length >= CASES / 3, `${cases.length} of ${CASES} cases written`);
    assert.ok(refused > 0, 'no case met a refusal');
  }));

  it('refuses what a keyfile cannot carry with a ProfileError naming the field', () => {
    const cases: [NetworkProfile, string, ProfileError['code']][] = [
      [{ ...wifiProfile(['x']), credentials: { identity: 'i', password: 'a\u0001b' } }, 'credentials.password', 'invalid-profile'],
      [wifiProfile(['x'], { method: 'teap' }), 'eap[0].method', 'unsupported'],
      [wifiProfile(['x'], { method: 'mschapv2', ca: undefined, serverNames: undefined }), 'eap[0].method', 'unsupported'],
      [wifiProfile(['x'], { method: 'gtc', ca: undefined, serverNames: undefined }), 'eap[0].method', 'unsupported'],
      [wifiProfile(['x'], { method: 'tls' }), 'eap[0].clientCertificate', 'invalid-profile'],
      [{ ...wifiProfile(['x']), credentials: { password: 'p' } }, 'credentials.identity', 'invalid-profile'],
    ];
    for (const [profile, path, code] of cases) {
      assert.throws(() => writeNetworkManager(profile, { secrets: true }), (error: unknown) =>
        error instanceof ProfileError && error.path === path && error.code === code, path);
    }
  });
});

/** What NetworkManager cannot hold: the writer must refuse it, naming the field. */
function refusalFor(profile: NetworkProfile, secrets: boolean): { path: string; code: ProfileError['code'] } | undefined {
  const eap = profile.eap[0];
  if (eap.method === 'gtc' || eap.method === 'mschapv2') return { path: 'eap[0].method', code: 'unsupported' };
  if (eap.method !== 'tls' && profile.credentials?.identity === undefined) return { path: 'credentials.identity', code: 'invalid-profile' };
  if (eap.method === 'tls' && !eap.clientCertificate) return { path: 'eap[0].clientCertificate', code: 'invalid-profile' };
  if (eap.method === 'tls' && !secrets) return { path: 'eap[0].clientCertificate', code: 'unsupported' };
  return undefined;
}

/** What NetworkManager must hold for network `index` of `profile`, every field the writer sets. */
function expectRead(read: NmRead, profile: NetworkProfile, index: number, secrets: boolean, label: string): void {
  assert.equal(read.error, undefined, `${label}: ${read.error}`);
  const network = profile.networks[index];
  const eap = profile.eap[0];
  const expected: Record<string, unknown> = {
    id: network.type === 'wifi' ? network.ssid : `${profile.name ?? profile.provider ?? 'eaphost'} wired`,
    type: network.type === 'wifi' ? '802-11-wireless' : '802-3-ethernet',
    eap: [eap.method],
    identity: profile.credentials?.identity ?? null,
    'anonymous-identity': eap.anonymousIdentity ?? null,
    'domain-match': eap.serverNames?.join(';') ?? null,
    'ca-cert': eap.ca ? Buffer.from(eap.ca.join(''), 'latin1').toString('hex') : null,
  };
  if (network.type === 'wifi') {
    Object.assign(expected, { ssid: hex(network.ssid), mode: 'infrastructure', 'key-mgmt': 'wpa-eap',
      pmf: network.security === 'wpa3-enterprise' ? 3 : 2 });
  }
  const password = eap.method !== 'tls' && secrets ? profile.credentials?.password : undefined;
  expected.password = password ?? null;
  expected['password-flags'] = eap.method !== 'tls' && password === undefined ? 1 : 0;
  const pkcs12 = secrets && eap.clientCertificate ? Buffer.from(eap.clientCertificate.pkcs12, 'base64').toString('hex') : null;
  expected['client-cert'] = pkcs12;
  expected['private-key'] = pkcs12;
  expected['private-key-password'] = (pkcs12 && eap.clientCertificate?.passphrase) ?? null;
  expected['phase2-auth'] = eap.method === 'peap' ? eap.innerMethod ?? 'mschapv2'
    : eap.method === 'ttls' && eap.phase2 !== 'eap' ? eap.phase2 ?? 'mschapv2' : null;
  expected['phase2-autheap'] = eap.method === 'ttls' && eap.phase2 === 'eap' ? eap.innerMethod ?? 'mschapv2' : null;
  expected['phase1-peapver'] = eap.method === 'peap' ? '0' : null;
  // libnm NMSetting8021xAuthFlags: 0x1 TLS 1.0 off, 0x2 TLS 1.1 off, 0x4 TLS 1.2 off, 0x10 TLS 1.3 off.
  expected['phase1-auth-flags'] = ['peap', 'ttls', 'tls'].includes(eap.method)
    ? 0x3 | (eap.tls?.min === '1.3' ? 0x4 : 0) | (eap.tls?.max === '1.2' ? 0x10 : 0) : 0;
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(read[key], value, `${label}: ${key} as NetworkManager reads it`);
  }
  // The domain_match list wpa_supplicant is given splits back into the profile's names.
  if (eap.serverNames) assert.deepEqual(String(read['domain-match']).split(';'), eap.serverNames, label);
}
