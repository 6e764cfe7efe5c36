import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import {
  NetworkProfile, ProfileError, writeEapConfig, writeMobileconfig, writeNetworkManager, writeWindowsProfiles,
} from '../../lib/profile';
import { checkNetworkProfile } from '../../lib/profile/network-profile';
import { readEapConfig } from '../../lib/profile/geant-eap-config';
import { readXml } from '../../lib/profile/xml-read';
import { ParsedElement, child, parseXml } from '../support/xml-oracle';

const childNames = (element: ParsedElement): string[] => element.children.map((c) => c.name);
import { uninstrumentedEnv } from '../support/child-env';
import { findProgram } from '../support/programs';

/**
 * Each format a network profile is written in, read back by something this package did not write:
 * Python's expat for the XML (element names, namespaces, order as the published schemas give them),
 * Python's plistlib for the .mobileconfig, NetworkManager's own nmcli (offline mode, no daemon) for
 * the keyfiles, and eap-config read back by this package's reader (a round trip).
 */

const ca = createEphemeralCa('radius.example.invalid');
const otherCa = createEphemeralCa('other.example.invalid');

function profile(extra: Partial<NetworkProfile> = {}): NetworkProfile {
  return {
    version: 1, name: 'Example University', provider: 'example.invalid',
    networks: [{ type: 'wifi', ssid: 'eduroam', security: 'wpa2-enterprise' }, { type: 'wired' }],
    eap: [
      { method: 'peap', anonymousIdentity: 'anonymous@example.invalid', ca: [ca.ca, otherCa.ca], serverNames: ['radius.example.invalid'] },
      { method: 'ttls', phase2: 'pap', ca: [ca.ca], serverNames: ['radius.example.invalid'] },
    ],
    credentials: { identity: 'student@example.invalid', password: 'pa55 wörd <&>' },
    ...extra,
  };
}

describe('network profile model', () => {
  it('refuses what it cannot carry with a ProfileError naming the field', () => {
    const cases: [unknown, string][] = [
      [{ ...profile(), version: 2 }, 'version'],
      [{ ...profile(), networks: [] }, 'networks'],
      [{ ...profile(), networks: [{ type: 'wifi', ssid: 'x'.repeat(33) }] }, 'networks[0].ssid'],
      [{ ...profile(), eap: [{ method: 'leap' }] }, 'eap[0].method'],
      [{ ...profile(), eap: [{ method: 'md5', ca: [ca.ca] }] }, 'eap[0].ca'],
      [{ ...profile(), eap: [{ method: 'peap', ca: ['not a certificate'] }] }, 'eap[0].ca[0]'],
      [{ ...profile(), eap: [{ method: 'peap', phase2: 'pap' }] }, 'eap[0].phase2'],
      [{ ...profile(), eap: [{ method: 'ttls', phase2: 'pap', innerMethod: 'gtc' }] }, 'eap[0].innerMethod'],
      [{ ...profile(), eap: [{ method: 'tls', tls: { min: '1.3', max: '1.2' } }] }, 'eap[0].tls'],
      [{ ...profile(), eap: [{ method: 'peap', clientCertificate: { pkcs12: 'AAAA' } }] }, 'eap[0].clientCertificate'],
      // Inner EAP-TLS is TEAP's alone, and its certificate goes with it.
      [{ ...profile(), eap: [{ method: 'peap', innerMethod: 'tls' }] }, 'eap[0].innerMethod'],
      [{ ...profile(), eap: [{ method: 'teap', innerMethod: 'mschapv2', clientCertificate: { pkcs12: 'AAAA' } }] }, 'eap[0].clientCertificate'],
      [{ ...profile(), eap: [{ method: 'peap', teapSecondaryInnerMethod: 'mschapv2' }] }, 'eap[0].teapSecondaryInnerMethod'],
      [{ ...profile(), eap: [{ method: 'teap', teapSecondaryInnerMethod: 'peap' }] }, 'eap[0].teapSecondaryInnerMethod'],
      [{ ...profile(), colour: 'blue' }, 'colour'],
    ];
    for (const [value, path] of cases) {
      assert.throws(() => checkNetworkProfile(value), (error: unknown) =>
        error instanceof ProfileError && error.code === 'invalid-profile' && error.path === path, `expected a ProfileError at ${path}`);
    }
  });
});

describe('eap-config', () => {
  it('round-trips a profile, in the element order of eap-metadata.xsd', () => {
    const original = checkNetworkProfile(profile());
    const written = writeEapConfig(original, { secrets: true });
    assert.deepEqual(readEapConfig(written.text).profile, original);
    const root = parseXml(written.text);
    assert.equal(root.name, 'EAPIdentityProviderList');
    const provider = child(root, 'EAPIdentityProvider');
    assert.deepEqual(childNames(provider), ['AuthenticationMethods', 'CredentialApplicability', 'ProviderInfo']);
    const [peap] = child(provider, 'AuthenticationMethods').children;
    assert.deepEqual(childNames(peap), ['EAPMethod', 'ServerSideCredential', 'ClientSideCredential', 'InnerAuthenticationMethod']);
    assert.deepEqual(childNames(child(peap, 'ServerSideCredential')), ['CA', 'CA', 'ServerID']);
    assert.deepEqual(childNames(child(peap, 'ClientSideCredential')), ['OuterIdentity', 'UserName', 'Password']);
    assert.equal(child(child(peap, 'ClientSideCredential'), 'Password').text, 'pa55 wörd <&>');
    // The CA travels as base64 DER: what openssl reads as the same certificate.
    const der = Buffer.from(child(peap, 'ServerSideCredential').children[0].text, 'base64');
    const fingerprint = execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], { input: der, encoding: 'utf8' });
    const { X509Certificate } = require('node:crypto') as typeof import('node:crypto');
    assert.equal(fingerprint.trim().split('=')[1], new X509Certificate(ca.ca).fingerprint256);
  });

  it('writes no secret unless asked', () => {
    const text = writeEapConfig(profile()).text;
    assert.doesNotMatch(text, /Password|pa55/);
  });

  it('reports every part it does not carry, and refuses a DOCTYPE', () => {
    const der = Buffer.from(ca.ca.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const document = `<?xml version="1.0"?>
<EAPIdentityProviderList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="eap-metadata.xsd">
  <EAPIdentityProvider ID="example.invalid" namespace="urn:RFC4282:realm" lang="en" version="1">
    <ValidUntil>2030-01-01T00:00:00Z</ValidUntil>
    <AuthenticationMethods>
      <AuthenticationMethod>
        <EAPMethod><Type>52</Type></EAPMethod>
      </AuthenticationMethod>
      <AuthenticationMethod>
        <EAPMethod><Type>21</Type></EAPMethod>
        <ServerSideCredential><CA format="X.509" encoding="base64">${der}</CA><ServerID>radius.example.invalid</ServerID></ServerSideCredential>
        <ClientSideCredential allow_save="true"><OuterIdentity>anonymous@example.invalid</OuterIdentity><InnerIdentitySuffix>example.invalid</InnerIdentitySuffix></ClientSideCredential>
        <InnerAuthenticationMethod><NonEAPAuthMethod><Type>3</Type></NonEAPAuthMethod></InnerAuthenticationMethod>
      </AuthenticationMethod>
    </AuthenticationMethods>
    <CredentialApplicability>
      <IEEE80211><SSID>eduroam</SSID><MinRSNProto>CCMP</MinRSNProto></IEEE80211>
      <IEEE80211><ConsortiumOID>001bc50460</ConsortiumOID></IEEE80211>
    </CredentialApplicability>
    <ProviderInfo><DisplayName>Example</DisplayName><ProviderLogo mime="image/png" encoding="base64">AAAA</ProviderLogo></ProviderInfo>
  </EAPIdentityProvider>
</EAPIdentityProviderList>`;
    const { profile: read, notes } = readEapConfig(document);
    assert.equal(read.eap.length, 1);
    const { ca: readCa, ...rest } = read.eap[0];
    assert.deepEqual(rest, { method: 'ttls', phase2: 'mschapv2', anonymousIdentity: 'anonymous@example.invalid',
      serverNames: ['radius.example.invalid'] });
    assert.equal(readCa?.length, 1);
    assert.equal(new (require('node:crypto').X509Certificate)(read.eap[0].ca![0]).fingerprint256,
      new (require('node:crypto').X509Certificate)(ca.ca).fingerprint256);
    assert.deepEqual(read.networks, [{ type: 'wifi', ssid: 'eduroam', security: 'wpa2-enterprise' }]);
    const noted = notes.map((note) => note.path).join('\n');
    for (const part of ['ValidUntil', 'AuthenticationMethod[1]', 'allow_save', 'InnerIdentitySuffix', 'IEEE80211', 'ProviderLogo']) {
      assert.match(noted, new RegExp(part.replace(/[[\]]/g, '\\$&')), `no note for ${part}`);
    }
    assert.throws(() => readXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), (error: unknown) =>
      error instanceof ProfileError && error.code === 'malformed-document');
  });
});

describe('Windows WLAN and LAN profiles', () => {
  it('WLANProfile and LANProfile in the order of the WLAN_profile / LAN_profile schemas, Microsoft\'s EapHostConfig inside', () => {
    const { documents } = writeWindowsProfiles(profile());
    const wlan = parseXml(documents[0].text);
    assert.equal(wlan.ns, 'http://www.microsoft.com/networking/WLAN/profile/v1');
    assert.deepEqual(childNames(wlan), ['name', 'SSIDConfig', 'connectionType', 'connectionMode', 'MSM']);
    const ssid = child(child(wlan, 'SSIDConfig'), 'SSID');
    assert.equal(child(ssid, 'hex').text, Buffer.from('eduroam').toString('hex').toUpperCase());
    const security = child(child(wlan, 'MSM'), 'security');
    assert.deepEqual(childNames(security), ['authEncryption', 'OneX']);
    assert.deepEqual(child(security, 'authEncryption').children.map((c) => [c.name, c.text]),
      [['authentication', 'WPA2'], ['encryption', 'AES'], ['useOneX', 'true']]);
    const oneX = child(security, 'OneX');
    assert.equal(oneX.ns, 'http://www.microsoft.com/networking/OneX/v1');
    const hostConfig = child(child(oneX, 'EAPConfig'), 'EapHostConfig');
    assert.equal(hostConfig.ns, 'http://www.microsoft.com/provisioning/EapHostConfig');
    assert.equal(child(child(hostConfig, 'EapMethod'), 'Type').text, '25');
    const lan = parseXml(documents[1].text);
    assert.equal(lan.ns, 'http://www.microsoft.com/networking/LAN/profile/v1');
    assert.deepEqual(childNames(child(child(lan, 'MSM'), 'security')), ['OneXEnforced', 'OneXEnabled', 'OneX']);
    const wpa3 = writeWindowsProfiles(profile({ networks: [{ type: 'wifi', ssid: 'x', security: 'wpa3-enterprise' }] }));
    assert.equal(child(child(child(child(parseXml(wpa3.documents[0].text), 'MSM'), 'security'), 'authEncryption'), 'authentication').text, 'WPA3ENT');
  });
});

describe('Apple .mobileconfig', () => {
  it('is a property list whose payloads carry Apple\'s published keys, trust anchored to the CA payloads', () => {
    const { text } = writeMobileconfig(profile(), { secrets: true });
    const script = 'import plistlib,sys,json\nd=plistlib.loads(sys.stdin.buffer.read())\n' +
      'print(json.dumps(d, default=lambda b: b.hex()))';
    const plist = JSON.parse(execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' })) as Record<string, any>;
    assert.equal(plist.PayloadType, 'Configuration');
    const payloads = plist.PayloadContent as Record<string, any>[];
    assert.deepEqual(payloads.map((p) => p.PayloadType),
      ['com.apple.security.root', 'com.apple.security.root', 'com.apple.wifi.managed', 'com.apple.firstactiveethernet.managed']);
    // Keys of com.apple.wifi.managed and its EAPClientConfiguration (apple/device-management, mdm/profiles/com.apple.wifi.managed.yaml).
    const APPLE_WIFI = ['PayloadType', 'PayloadVersion', 'PayloadIdentifier', 'PayloadUUID', 'PayloadDisplayName', 'SSID_STR',
      'HIDDEN_NETWORK', 'AutoJoin', 'EncryptionType', 'EAPClientConfiguration', 'PayloadCertificateUUID'];
    const APPLE_EAP = ['AcceptEAPTypes', 'UserName', 'UserPassword', 'OuterIdentity', 'TTLSInnerAuthentication', 'TLSTrustedServerNames',
      'PayloadCertificateAnchorUUID', 'TLSMinimumVersion', 'TLSMaximumVersion'];
    const wifi = payloads[2];
    for (const key of Object.keys(wifi)) assert.ok(APPLE_WIFI.includes(key), `${key} is not a com.apple.wifi.managed key`);
    for (const key of Object.keys(wifi.EAPClientConfiguration)) assert.ok(APPLE_EAP.includes(key), `${key} is not an EAPClientConfiguration key`);
    assert.equal(wifi.SSID_STR, 'eduroam');
    assert.equal(wifi.EncryptionType, 'WPA2');
    assert.deepEqual(wifi.EAPClientConfiguration.AcceptEAPTypes, [25]);
    assert.deepEqual(wifi.EAPClientConfiguration.PayloadCertificateAnchorUUID, [payloads[0].PayloadUUID, payloads[1].PayloadUUID]);
    const { X509Certificate } = require('node:crypto') as typeof import('node:crypto');
    assert.equal(new X509Certificate(Buffer.from(payloads[0].PayloadContent, 'hex')).fingerprint256, new X509Certificate(ca.ca).fingerprint256);
    assert.equal(wifi.EAPClientConfiguration.UserPassword, 'pa55 wörd <&>');
    assert.doesNotMatch(writeMobileconfig(profile()).text, /UserPassword/);
  });
});

describe('NetworkManager keyfiles', () => {
  const nmcli = () => findProgram(['nmcli'], 'network-manager');
  /** nmcli --offline reads a keyfile on stdin, checks it, and prints it as NetworkManager normalizes it. */
  function nmcliRead(text: string): { status: number | null; out: Record<string, Record<string, string>>; stderr: string } {
    // The sanitizer runtime stays out of nmcli (it hangs there), and a hung nmcli fails the test
    // instead of blocking the lane: spawnSync holds the event loop, so mocha's timeout cannot fire.
    const run = spawnSync(nmcli(), ['--offline', 'connection', 'modify', 'connection.autoconnect', 'no'],
      { input: text, encoding: 'utf8', env: uninstrumentedEnv(), timeout: 20_000 });
    if (run.error) throw run.error;
    const out: Record<string, Record<string, string>> = {};
    let section = '';
    for (const line of (run.stdout ?? '').split('\n')) {
      const header = /^\[(.+)\]$/.exec(line);
      if (header) out[section = header[1]] = {};
      else if (line.includes('=')) out[section][line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
    return { status: run.status, out, stderr: run.stderr ?? '' };
  }

  it('nmcli reads each keyfile back with the profile\'s settings', () => {
    const { files } = writeNetworkManager(profile({ eap: [{ method: 'ttls', phase2: 'pap', ca: [ca.ca], serverNames: ['radius.example.invalid'],
      anonymousIdentity: 'anonymous@example.invalid', tls: { max: '1.2' } }] }), { secrets: true });
    assert.equal(files.length, 2);
    const wifi = nmcliRead(files[0].text);
    assert.equal(wifi.status, 0, wifi.stderr);
    assert.equal(wifi.out.connection.type, 'wifi');
    assert.equal(wifi.out.wifi.ssid, 'eduroam');
    assert.equal(wifi.out['wifi-security']['key-mgmt'], 'wpa-eap');
    const eap = wifi.out['802-1x'];
    assert.equal(eap.eap, 'ttls;');
    assert.equal(eap['phase2-auth'], 'pap');
    assert.equal(eap.identity, 'student@example.invalid');
    assert.equal(eap['anonymous-identity'], 'anonymous@example.invalid');
    assert.equal(eap['domain-match'], 'radius.example.invalid');
    assert.equal(eap.password, 'pa55 wörd <&>');
    // tls-1-0-disable | tls-1-1-disable | tls-1-3-disable
    assert.equal(eap['phase1-auth-flags'], '19');
    const { X509Certificate } = require('node:crypto') as typeof import('node:crypto');
    const blob = Buffer.from(eap['ca-cert'].replace(/^data:;base64,/, ''), 'base64');
    assert.equal(new X509Certificate(blob).fingerprint256, new X509Certificate(ca.ca).fingerprint256);
    const wired = nmcliRead(files[1].text);
    assert.equal(wired.status, 0, wired.stderr);
    assert.equal(wired.out.connection.type, 'ethernet');
    assert.equal(wired.out['802-1x'].eap, 'ttls;');
  });

  it('nmcli is a real check: it refuses a keyfile with an EAP method it does not know', () => {
    const { files } = writeNetworkManager(profile());
    const broken = nmcliRead(files[0].text.replace('eap=peap;', 'eap=nonsense;'));
    assert.notEqual(broken.status, 0);
    assert.match(broken.stderr, /eap|802-1x/i);
  });

  it('leaves the password to the secret agent unless secrets are asked for', () => {
    const { files } = writeNetworkManager(profile());
    const read = nmcliRead(files[0].text);
    assert.equal(read.status, 0, read.stderr);
    assert.equal(read.out['802-1x'].password, undefined);
    assert.equal(read.out['802-1x']['password-flags'], '1');
  });
});

describe('schema/network-profile.schema.json', () => {
  it('names the methods of the one method table', () => {
    const { SHIPPED_METHOD_NAMES, TEAP_INNER_METHOD_NAMES } = require('../../lib/core/method-table') as typeof import('../../lib/core/method-table');
    const schema = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', '..', 'schema',
      'network-profile.schema.json'), 'utf8'));
    const eap = schema.properties.eap.items.properties;
    assert.deepEqual([...eap.method.enum].sort(), [...SHIPPED_METHOD_NAMES].sort());
    // TEAP's inner methods, EAP-TLS among them (the model refuses it under PEAP and EAP-TTLS).
    assert.deepEqual([...eap.innerMethod.enum].sort(), [...TEAP_INNER_METHOD_NAMES].sort());
    assert.deepEqual([...eap.teapSecondaryInnerMethod.enum].sort(), [...TEAP_INNER_METHOD_NAMES].sort());
  });
});
