/**
 * Windows' own TEAP profile (EapTeapConnectionPropertiesV1) against independent truth: Python's
 * expat reads the document back, thumbprints are node:crypto's SHA-256 fingerprints of the CA,
 * and the expected element sequences below are written from the EAPHost schema reference's
 * eapteapconnectionpropertiesv1 complex-type pages, with the two places where Microsoft's own
 * TEAP profile sample differs from them noted where they are checked.
 */
import { strict as assert } from 'assert';
import { X509Certificate } from 'crypto';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { peerConnectionData } from '../../lib/core/connection-data';
import {
  MicrosoftConfigOptions, WINDOWS_METHOD_TYPES, microsoftConfigXml, microsoftCredentialsXml,
} from '../../lib/profile/microsoft-config';
import { ParsedElement, child, childNames, parseXml } from '../support/xml-oracle';

const MS = 'http://www.microsoft.com/provisioning/';
const TEAP = `${MS}EapTeapConnectionPropertiesV1`;
const HOST = `${MS}EapHostConfig`;
const COMMON = `${MS}EapCommon`;
const BASE = `${MS}BaseEapConnectionPropertiesV1`;

// From the reference pages' xs:sequence of each complex type (element names in order; every
// one is optional, so a document may leave any out but never reorder them).
const TEAP_CONFIG_SEQUENCE = ['ServerValidation', 'Phase2Authentication', 'Phase1Identity'];
const SERVER_VALIDATION_SEQUENCE = ['ServerNames', 'TrustedRootCAHash', 'DownloadTrustedServerRoot', 'DisablePrompt'];
const PHASE1_IDENTITY_SEQUENCE = ['IdentityPrivacy', 'AnonymousIdentity'];
// EapHostConfig (the eaphostconfig schema): EapMethod, then Config; EapMethodType: Type,
// VendorId, VendorType, AuthorId.
const EAP_HOST_CONFIG_SEQUENCE = ['EapMethod', 'Config'];
const EAP_METHOD_SEQUENCE = ['Type', 'VendorId', 'VendorType', 'AuthorId'];

/** True when `names` (repeats allowed) follow `sequence`'s order and hold nothing else. */
function followsSequence(names: string[], sequence: string[]): boolean {
  let at = 0;
  for (const name of names) {
    const index = sequence.indexOf(name);
    if (index < at) return false;
    at = index;
  }
  return true;
}

function sha256(pem: string): string {
  return new X509Certificate(pem).fingerprint256.toLowerCase().split(':').join(' ');
}

function sha1(pem: string): string {
  return new X509Certificate(pem).fingerprint.toLowerCase().split(':').join(' ');
}

function methodOf(hostConfig: ParsedElement): Record<string, string> {
  const method = child(hostConfig, 'EapMethod');
  assert.deepEqual(method.children.map((c) => c.name), EAP_METHOD_SEQUENCE);
  for (const c of method.children) assert.equal(c.ns, COMMON, `${c.name} is in EapCommon`);
  return Object.fromEntries(method.children.map((c) => [c.name, c.text]));
}

function teapOf(xml: string): ParsedElement {
  const root = parseXml(xml);
  assert.equal(`{${root.ns}}${root.name}`, `{${HOST}}EapHostConfig`);
  assert.deepEqual(root.children.map((c) => c.name), EAP_HOST_CONFIG_SEQUENCE);
  const teap = child(child(root, 'Config'), 'EapTeap');
  assert.equal(teap.ns, TEAP);
  return teap;
}

/** The inner method's EapHostConfig inside one InnerMethodConfig, checked as a whole document. */
function innerHostConfig(config: ParsedElement): ParsedElement {
  assert.deepEqual(childNames(config), [`{${HOST}}EapHostConfig`]);
  const host = child(config, 'EapHostConfig');
  assert.deepEqual(host.children.map((c) => c.name), EAP_HOST_CONFIG_SEQUENCE);
  const inner = child(child(host, 'Config'), 'Eap');
  assert.equal(inner.ns, BASE);
  return host;
}

describe("Windows' own TEAP profile (EapTeapConnectionPropertiesV1)", () => {
  const ephemeral = processEphemeralCa();
  const other = ephemeral.issueClient('bob').cert;

  it('the sequence check refuses a reordered or foreign element (it can fail)', () => {
    assert.equal(followsSequence(['ServerNames', 'TrustedRootCAHash', 'TrustedRootCAHash', 'DisablePrompt'],
      SERVER_VALIDATION_SEQUENCE), true);
    assert.equal(followsSequence(['DisablePrompt', 'DownloadTrustedServerRoot'], SERVER_VALIDATION_SEQUENCE), false);
    assert.equal(followsSequence(['Phase1Identity', 'ServerValidation'], TEAP_CONFIG_SEQUENCE), false);
    assert.equal(followsSequence(['ServerValidation', 'Extra'], TEAP_CONFIG_SEQUENCE), false);
  });

  it('is EAP type 55, author 311, with EapTeap in the EapTeapConnectionPropertiesV1 namespace, in schema order', () => {
    const xml = microsoftConfigXml('teap', { ca: ephemeral.ca, serverName: ['radius.example.net', 'nps.example.net'],
      anonymousIdentity: 'anonymous@example.net' });
    const root = parseXml(xml);
    assert.deepEqual(methodOf(root), { Type: '55', VendorId: '0', VendorType: '0', AuthorId: '311' });
    assert.deepEqual(WINDOWS_METHOD_TYPES.teap, { type: 55, vendorId: 0, vendorType: 0, authorId: 311 });
    const teap = teapOf(xml);
    assert.deepEqual(childNames(teap), TEAP_CONFIG_SEQUENCE.map((name) => `{${TEAP}}${name}`));
    const validation = child(teap, 'ServerValidation');
    assert.ok(followsSequence(validation.children.map((c) => c.name), SERVER_VALIDATION_SEQUENCE));
    // DownloadTrustedServerRoot is left out: Microsoft's TEAP sample writes it after DisablePrompt,
    // the schema page before; absent, its default (false) holds and both orders are met.
    assert.deepEqual(validation.children.map((c) => [c.ns, c.name, c.text]), [
      [TEAP, 'ServerNames', 'radius.example.net;nps.example.net'],
      [TEAP, 'TrustedRootCAHash', sha256(ephemeral.ca)],
      [TEAP, 'DisablePrompt', 'true'],
    ]);
    const identity = child(teap, 'Phase1Identity');
    assert.ok(followsSequence(identity.children.map((c) => c.name), PHASE1_IDENTITY_SEQUENCE));
    assert.deepEqual(identity.children.map((c) => [c.name, c.text]),
      [['IdentityPrivacy', 'true'], ['AnonymousIdentity', 'anonymous@example.net']]);
  });

  it('writes one SHA-256 TrustedRootCAHash per CA of a bundle, in order, equal to node:crypto\'s fingerprints', () => {
    const bundle = `${ephemeral.ca}\n${other}`;
    const validation = child(teapOf(microsoftConfigXml('teap', { ca: bundle })), 'ServerValidation');
    assert.deepEqual(validation.children.map((c) => [c.name, c.text]), [
      ['TrustedRootCAHash', sha256(ephemeral.ca)], ['TrustedRootCAHash', sha256(other)], ['DisablePrompt', 'true']]);
    assert.match(sha256(ephemeral.ca), /^([0-9a-f]{2} ){31}[0-9a-f]{2}$/);
  });

  it('carries Windows\' own EAP-MSCHAPv2 (26, author 0) as the primary inner method by default', () => {
    const teap = teapOf(microsoftConfigXml('teap', { ca: ephemeral.ca }));
    const phase2 = child(teap, 'Phase2Authentication');
    assert.deepEqual(childNames(phase2), [`{${TEAP}}InnerMethodConfig`]);
    // InnerMethodConfig holds a whole EapHostConfig, as Microsoft's "WPA3-Enterprise with TEAP
    // profile sample", its "EAP for network access" settings table and Windows' own LAN profile
    // templates write it (the InnerMethodConfigParameters page names a bare baseEap:Eap).
    const host = innerHostConfig(child(phase2, 'InnerMethodConfig'));
    assert.deepEqual(methodOf(host), { Type: '26', VendorId: '0', VendorType: '0', AuthorId: '0' });
    const eap = child(child(host, 'Config'), 'Eap');
    assert.deepEqual(childNames(eap), [`{${BASE}}Type`, `{${MS}MsChapV2ConnectionPropertiesV1}EapType`]);
    assert.equal(child(eap, 'Type').text, '26');
    assert.deepEqual(child(eap, 'EapType').children.map((c) => [c.name, c.text]), [['UseWinLogonCredentials', 'false']]);
    // No anonymous identity: privacy is written off, not left to its default (true).
    assert.deepEqual(child(teap, 'Phase1Identity').children.map((c) => [c.name, c.text]), [['IdentityPrivacy', 'false']]);
    assert.equal(child(teap, 'ServerValidation').children.some((c) => c.name === 'ServerNames'), false);
  });

  it('carries Windows\' own EAP-TLS (13, author 0) validating the same server by its SHA-1 TrustedRootCA and names', () => {
    const teap = teapOf(microsoftConfigXml('teap', { ca: ephemeral.ca, serverName: 'radius.example.net', innerMethod: 'tls' }));
    const host = innerHostConfig(child(child(teap, 'Phase2Authentication'), 'InnerMethodConfig'));
    assert.deepEqual(methodOf(host), { Type: '13', VendorId: '0', VendorType: '0', AuthorId: '0' });
    const eap = child(child(host, 'Config'), 'Eap');
    assert.equal(child(eap, 'Type').text, '13');
    const tls = child(eap, 'EapType');
    const v1 = `${MS}EapTlsConnectionPropertiesV1`;
    const v2 = `${MS}EapTlsConnectionPropertiesV2`;
    assert.deepEqual(childNames(tls), [`{${v1}}CredentialsSource`, `{${v1}}ServerValidation`, `{${v1}}DifferentUsername`,
      `{${v2}}PerformServerValidation`, `{${v2}}AcceptServerName`]);
    assert.deepEqual(child(tls, 'ServerValidation').children.map((c) => [c.name, c.text]), [
      ['DisableUserPromptForServerValidation', 'true'], ['ServerNames', 'radius.example.net'], ['TrustedRootCA', sha1(ephemeral.ca)]]);
    assert.equal(child(tls, 'PerformServerValidation').text, 'true');
  });

  it('writes two InnerMethodConfig, primary then secondary, when teapSecondaryInnerMethod asks for chaining', () => {
    const teap = teapOf(microsoftConfigXml('teap', { ca: ephemeral.ca, innerMethod: 'tls', teapSecondaryInnerMethod: 'mschapv2' }));
    const configs = child(teap, 'Phase2Authentication').children;
    assert.deepEqual(configs.map((c) => `{${c.ns}}${c.name}`), [`{${TEAP}}InnerMethodConfig`, `{${TEAP}}InnerMethodConfig`]);
    assert.deepEqual(configs.map((c) => methodOf(innerHostConfig(c)).Type), ['13', '26']);
    const same = teapOf(microsoftConfigXml('teap', { ca: ephemeral.ca, teapSecondaryInnerMethod: 'mschapv2' }));
    assert.deepEqual(child(same, 'Phase2Authentication').children.map((c) => methodOf(innerHostConfig(c)).Type), ['26', '26']);
  });

  it('refuses what Windows\' TEAP cannot express with a TypeError that says why', () => {
    const given = (options: Record<string, unknown>) => () =>
      microsoftConfigXml('teap', { ca: ephemeral.ca, ...options } as MicrosoftConfigOptions);
    assert.throws(given({ teapMsChapV2KeyOrder: 'windows' }),
      /^TypeError: teapMsChapV2KeyOrder does not apply to Windows' own teap method: Windows' TEAP orders an inner EAP-MSCHAPv2's keys itself/);
    assert.throws(given({ teapBasicPassword: true }), /^TypeError: teapBasicPassword does not apply .*no Basic-Password-Auth setting/);
    assert.throws(given({ teapChaining: true }), /^TypeError: teapChaining does not apply .*give teapSecondaryInnerMethod/);
    for (const inner of ['gtc', 'md5', 'peap']) {
      assert.throws(given({ innerMethod: inner }), /^TypeError: innerMethod must be 'mschapv2' \| 'tls' for Windows' own TEAP/);
      assert.throws(given({ teapSecondaryInnerMethod: inner }), /^TypeError: teapSecondaryInnerMethod must be 'mschapv2' \| 'tls'/);
    }
    assert.throws(given({ tls: { min: '1.3' } }), /^TypeError: tls does not apply to Windows' own teap method/);
    assert.throws(given({ requireCryptoBinding: true }), TypeError);
    assert.throws(given({ crl: '/x.crl' }), /Windows checks revocation itself/);
    assert.throws(() => microsoftConfigXml('teap', {}), /^TypeError: teap: no trusted CA configured/);
    assert.throws(() => microsoftConfigXml('teap', { insecure: true }), /^TypeError: insecure: Windows' own TEAP .*without prompting/);
    // PEAP keeps its own rule: its inner method is EAP-MSCHAPv2 only, and the TEAP option is not its.
    assert.throws(() => microsoftConfigXml('peap', { ca: ephemeral.ca, innerMethod: 'tls' }), /'mschapv2' for Windows' own PEAP/);
    assert.throws(() => microsoftConfigXml('peap', { ca: ephemeral.ca, teapSecondaryInnerMethod: 'tls' }), TypeError);
  });

  it('writes no credentials document: Microsoft documents no TEAP user-credentials schema', () => {
    assert.throws(() => microsoftCredentialsXml('teap', { identity: 'alice', password: 'pw' }),
      /^TypeError: Windows' own TEAP: Microsoft documents no user-credentials schema for TEAP/);
  });

  it("the shipped TEAP peer takes teapSecondaryInnerMethod too, and refuses an inner 'tls' without a client certificate", () => {
    // Connection data type 18 holds the second inner method's EAP type (test/tls/teap-inner-tls runs it).
    const data = peerConnectionData('teap', { ca: ephemeral.ca, teapSecondaryInnerMethod: 'gtc' });
    assert.ok(data.includes(Buffer.from([18, 0, 0, 0, 1, 6])), 'type 18, length 1, EAP-GTC (6)');
    // The shipped TEAP runs inner EAP-TLS too, with the client certificate it is given, in either place.
    for (const place of [{ innerMethod: 'tls' }, { teapSecondaryInnerMethod: 'tls' }] as const) {
      assert.throws(() => peerConnectionData('teap', { ca: ephemeral.ca, ...place }),
        /^TypeError: teap: an inner EAP-TLS \('tls'\) needs a client certificate/);
    }
    assert.throws(() => peerConnectionData('teap', { ca: ephemeral.ca, innerMethod: ['mschapv2', 'gtc'] }),
      /^TypeError: teap: a peer runs one inner method/);
  });
});
