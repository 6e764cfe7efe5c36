import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { writeEapConfig, writeWindowsProfiles } from '../../lib/profile';
import { readEapConfig } from '../../lib/profile/geant-eap-config';
import { HostileProfileOptions, hostileProfile, withSeed } from '../support/hostile-text';
import { makeTestPkcs12 } from '../support/pkcs12';

/**
 * WLAN and LAN profiles, and eap-config documents, read by an XML parser this package did not write (Python's expat through
 * xml.etree), for seeded random profiles. Debian ships no schema for Microsoft's WLANProfile,
 * LANProfile or EapHostConfig (they are in the [MS-GPWL] specification and in Windows'
 * C:\Windows\schemas), so no validating parser can run here: this checks that the text each
 * element carries is exactly the profile's, element order being test/linux/network-profile-formats'.
 */

/** For each document: the raw text of every element named in `names`, in document order, namespaces dropped. */
function xmlTexts(documents: string[], names: string[]): Record<string, string[]>[] {
  const script = 'import json,sys,xml.etree.ElementTree as ET\n' +
    'names=set(sys.argv[1:])\n' +
    'out=[]\n' +
    'for d in json.load(sys.stdin):\n' +
    '  found={}\n' +
    '  for e in ET.fromstring(d.encode("utf-8")).iter():\n' +
    '    tag=e.tag.split("}")[-1]\n' +
    '    if tag in names: found.setdefault(tag,[]).append(e.text or "")\n' +
    '  out.append(found)\n' +
    'json.dump(out,sys.stdout)';
  const run = spawnSync('python3', ['-c', script, ...names], { input: JSON.stringify(documents), encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, string[]>[];
}

const ca = createEphemeralCa('radius.example.invalid');
const otherCa = createEphemeralCa('other.example.invalid');
/** Windows writes a thumbprint as lowercase hex bytes separated by spaces. */
const thumbprint = (pem: string): string => new X509Certificate(pem).fingerprint.toLowerCase().replace(/:/g, ' ');

const options = (): HostileProfileOptions => ({ methods: ['peap', 'ttls', 'tls'], caSets: [[ca.ca], [ca.ca, otherCa.ca]],
  pkcs12: makeTestPkcs12().pkcs12, innerMethods: ['mschapv2'],
  // eap-config has no number for TTLS-CHAP, and refuses a profile holding only that (a typed error).
  phase2: ['pap', 'mschap', 'mschapv2'] });

describe('WLAN / LAN profiles and eap-config read by expat', () => {
  it('hostile profiles: names, SSIDs, server names and CA thumbprints come back as the profile gave them (seeded cases)', () => withSeed((random) => {
    const opts = options();
    const CASES = 150;
    const cases = Array.from({ length: CASES }, () => hostileProfile(random, opts));
    const written = cases.map((profile) => writeWindowsProfiles(profile).documents);
    const read = xmlTexts(written.flat().map((document) => document.text), ['name', 'hex', 'ServerNames', 'TrustedRootCA', 'TrustedRootCAHash']);
    let at = 0;
    cases.forEach((profile, n) => {
      const eap = profile.eap[0];
      assert.equal(written[n].length, profile.networks.length);
      profile.networks.forEach((network) => {
        const texts = read[at++];
        const label = JSON.stringify({ network, serverNames: eap.serverNames, method: eap.method });
        if (network.type === 'wifi') {
          // WLANProfile/name and SSIDConfig/SSID/name are the SSID; SSID/hex its bytes.
          assert.deepEqual(texts.name, [network.ssid, network.ssid], label);
          assert.deepEqual(texts.hex, [Buffer.from(network.ssid, 'utf8').toString('hex').toUpperCase()], label);
        } else {
          assert.equal(texts.hex, undefined, label);
        }
        assert.deepEqual(texts.ServerNames, eap.serverNames ? [eap.serverNames.join(';')] : eap.method === 'ttls' ? [''] : undefined, label);
        assert.deepEqual(texts.TrustedRootCA ?? texts.TrustedRootCAHash, eap.ca!.map(thumbprint), label);
      });
    });
  }));

  it('eap-config: hostile profiles\' text comes back exactly, through expat and through readEapConfig (seeded cases)', () => withSeed((random) => {
    const opts = options();
    const CASES = 150;
    const cases = Array.from({ length: CASES }, () => hostileProfile(random, opts));
    const written = cases.map((profile) => writeEapConfig(profile, { secrets: true }).text);
    const read = xmlTexts(written, ['SSID', 'ServerID', 'OuterIdentity', 'UserName', 'Password', 'DisplayName']);
    cases.forEach((profile, n) => {
      const eap = profile.eap[0];
      const label = JSON.stringify({ ...profile, eap: [{ ...eap, ca: undefined }] });
      const texts = read[n];
      const expected: Record<string, string[] | undefined> = {
        SSID: profile.networks.flatMap((network) => (network.type === 'wifi' ? [network.ssid] : [])),
        ServerID: eap.serverNames,
        OuterIdentity: eap.anonymousIdentity !== undefined ? [eap.anonymousIdentity] : undefined,
        UserName: profile.credentials?.identity !== undefined ? [profile.credentials.identity] : undefined,
        Password: eap.method !== 'tls' && profile.credentials?.password !== undefined ? [profile.credentials.password] : undefined,
        DisplayName: profile.name !== undefined ? [profile.name] : undefined,
      };
      if (expected.SSID!.length === 0) expected.SSID = undefined;
      for (const [name, value] of Object.entries(expected)) assert.deepEqual(texts[name], value, `${label}: ${name}`);
      // This package's own reader agrees on every text field.
      const back = readEapConfig(written[n]).profile;
      assert.deepEqual(back.credentials?.identity, profile.credentials?.identity, label);
      assert.deepEqual(back.eap[0].serverNames, eap.serverNames, label);
      assert.deepEqual(back.eap[0].anonymousIdentity, eap.anonymousIdentity, label);
      assert.deepEqual(back.name, profile.name, label);
    });
  }));
});
