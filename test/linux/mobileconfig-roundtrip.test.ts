import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { NetworkProfile, ProfileError, writeEapConfig, writeMobileconfig } from '../../lib/profile';
import { hostileProfile, withSeed } from '../support/hostile-text';
import { makeTestPkcs12 } from '../support/pkcs12';

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

describe('Apple .mobileconfig read by Python\'s plistlib', () => {
  it('hostile profiles: every string and certificate comes back as the profile gave it (fixed number of seeded cases)', () => withSeed((random) => {
    const options = { methods: ['peap', 'ttls', 'tls'] as const, caSets: [[ca.ca], [ca.ca, otherCa.ca]], pkcs12: makeTestPkcs12().pkcs12 };
    const CASES = 150;
    const cases = Array.from({ length: CASES }, () => ({ profile: hostileProfile(random, options), secrets: random.chance(0.6) }));
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
  }));

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
