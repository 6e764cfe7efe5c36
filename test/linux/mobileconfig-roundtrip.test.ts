import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { NetworkProfile, ProfileEap, ProfileError, checkNetworkProfile, writeEapConfig, writeMobileconfig } from '../../lib/profile';
import { SeededRandom, hostileText, propertySeed } from '../support/hostile-text';

/**
 * .mobileconfig documents read by a property-list parser this package did not write: Python's
 * plistlib (expat underneath), for seeded random profiles. Every string the profile gave must come
 * back as the same string, every certificate as the same DER.
 */

type Plist = Record<string, any>;

/** plistlib.loads on each document; data comes back as hex. */
function plistRead(texts: string[]): Plist[] {
  const script = 'import json,plistlib,sys\n' +
    'docs=json.load(sys.stdin)\n' +
    'json.dump([plistlib.loads(d.encode("utf-8")) for d in docs], sys.stdout, default=lambda b: b.hex())';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Plist[];
}

const ca = createEphemeralCa('radius.example.invalid');
const otherCa = createEphemeralCa('other.example.invalid');
// Apple's AcceptEAPTypes: the methods it has (no MD5, GTC, MSCHAPv2 or TEAP).
const APPLE_TYPE: Record<string, number> = { tls: 13, ttls: 21, peap: 25 };

function hostileProfile(random: SeededRandom): NetworkProfile {
  const networks: NetworkProfile['networks'] = Array.from({ length: 1 + random.int(3) }, () => (random.chance(0.8)
    ? { type: 'wifi' as const, ssid: hostileText(random, 32), security: random.pick(['wpa2-enterprise', 'wpa3-enterprise'] as const) }
    : { type: 'wired' as const }));
  const method = random.pick(['peap', 'ttls', 'tls'] as const);
  const eap: ProfileEap = { method, ca: random.chance(0.5) ? [ca.ca, otherCa.ca] : [ca.ca] };
  if (random.chance(0.7)) eap.serverNames = Array.from({ length: 1 + random.int(3) }, () => hostileText(random, 253, { exclude: ';' }));
  if (random.chance(0.6)) eap.anonymousIdentity = hostileText(random, 253);
  if (method === 'ttls') eap.phase2 = random.pick(['pap', 'chap', 'mschap', 'mschapv2'] as const);
  if (method === 'tls') eap.clientCertificate = { pkcs12: Buffer.concat([Buffer.of(0x30, 0x82), Buffer.alloc(30, 9)]).toString('base64'),
    ...(random.chance(0.7) ? { passphrase: hostileText(random, 64) } : {}) };
  const profile: NetworkProfile = { version: 1, networks, eap: [eap], credentials: {} };
  if (random.chance(0.7)) profile.name = hostileText(random, 253);
  if (random.chance(0.5)) profile.provider = hostileText(random, 253);
  if (random.chance(0.9)) profile.credentials!.identity = hostileText(random, 253);
  if (random.chance(0.9)) profile.credentials!.password = hostileText(random, 253);
  return checkNetworkProfile(profile);
}

describe('Apple .mobileconfig read by Python\'s plistlib', () => {
  it('hostile profiles: every string and certificate comes back as the profile gave it (fixed number of seeded cases)', () => {
    const seed = propertySeed();
    const random = new SeededRandom(seed);
    const CASES = 150;
    try {
      const cases = Array.from({ length: CASES }, () => ({ profile: hostileProfile(random), secrets: random.chance(0.6) }));
      const read = plistRead(cases.map(({ profile, secrets }) => writeMobileconfig(profile, { secrets }).text));
      cases.forEach(({ profile, secrets }, n) => {
        const label = JSON.stringify({ ...profile, eap: [{ ...profile.eap[0], ca: undefined }] });
        const plist = read[n];
        const eap = profile.eap[0];
        assert.equal(plist.PayloadType, 'Configuration', label);
        assert.equal(plist.PayloadDisplayName, profile.name ?? profile.provider ?? 'Network', label);
        const payloads = plist.PayloadContent as Plist[];
        const roots = payloads.filter((p) => p.PayloadType === 'com.apple.security.root');
        assert.deepEqual(roots.map((p) => new X509Certificate(Buffer.from(p.PayloadContent, 'hex')).fingerprint256),
          eap.ca!.map((pem) => new X509Certificate(pem).fingerprint256), label);
        const pkcs12 = payloads.filter((p) => p.PayloadType === 'com.apple.security.pkcs12');
        if (secrets && eap.clientCertificate) {
          assert.equal(pkcs12.length, 1, label);
          assert.equal(pkcs12[0].PayloadContent, Buffer.from(eap.clientCertificate.pkcs12, 'base64').toString('hex'), label);
          assert.equal(pkcs12[0].Password, eap.clientCertificate.passphrase, label);
        } else {
          assert.equal(pkcs12.length, 0, label);
        }
        const networks = payloads.filter((p) => p.PayloadType === 'com.apple.wifi.managed' || p.PayloadType === 'com.apple.firstactiveethernet.managed');
        assert.equal(networks.length, profile.networks.length, label);
        profile.networks.forEach((network, i) => {
          const payload = networks[i];
          if (network.type === 'wifi') {
            assert.equal(payload.PayloadType, 'com.apple.wifi.managed', label);
            assert.equal(payload.SSID_STR, network.ssid, label);
            assert.equal(payload.EncryptionType, network.security === 'wpa3-enterprise' ? 'WPA3' : 'WPA2', label);
          } else {
            assert.equal(payload.PayloadType, 'com.apple.firstactiveethernet.managed', label);
          }
          const client = payload.EAPClientConfiguration as Plist;
          assert.deepEqual(client.AcceptEAPTypes, [APPLE_TYPE[eap.method]], label);
          assert.equal(client.UserName, profile.credentials?.identity, label);
          assert.equal(client.UserPassword, secrets && eap.method !== 'tls' ? profile.credentials?.password : undefined, label);
          assert.equal(client.OuterIdentity, eap.anonymousIdentity, label);
          assert.deepEqual(client.TLSTrustedServerNames, eap.serverNames, label);
          assert.deepEqual(client.PayloadCertificateAnchorUUID, roots.map((p) => p.PayloadUUID), label);
          assert.equal(payload.PayloadCertificateUUID, secrets && eap.clientCertificate ? pkcs12[0].PayloadUUID : undefined, label);
        });
      });
    } catch (error) {
      (error as Error).message += `\n(seed ${seed}: replay with EAPHOST_PROPERTY_SEED=${seed})`;
      throw error;
    }
  });

  it('a secret XML cannot carry is a ProfileError naming the field, not a TypeError (.mobileconfig and eap-config)', () => {
    const base: NetworkProfile = { version: 1, networks: [{ type: 'wifi', ssid: 'x' }],
      eap: [{ method: 'peap', ca: [ca.ca] }], credentials: { identity: 'i', password: 'a\u0001b' } };
    assert.throws(() => writeMobileconfig(base, { secrets: true }), (error: unknown) =>
      error instanceof ProfileError && error.path === 'credentials.password');
    const tls: NetworkProfile = { ...base, credentials: { identity: 'i' }, eap: [{ method: 'tls', ca: [ca.ca],
      clientCertificate: { pkcs12: Buffer.concat([Buffer.of(0x30, 0x82), Buffer.alloc(30)]).toString('base64'), passphrase: '\u0000' } }] };
    assert.throws(() => writeMobileconfig(tls, { secrets: true }), (error: unknown) =>
      error instanceof ProfileError && error.path === 'eap[0].clientCertificate.passphrase');
    // eap-config is XML too, and takes the same secrets.
    assert.throws(() => writeEapConfig(base, { secrets: true }), (error: unknown) =>
      error instanceof ProfileError && error.path === 'credentials.password');
    assert.throws(() => writeEapConfig(tls, { secrets: true }), (error: unknown) =>
      error instanceof ProfileError && error.path === 'eap[0].clientCertificate.passphrase');
  });
});
