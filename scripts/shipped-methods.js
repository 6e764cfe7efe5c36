// The EAP methods the eap_methods module implements: the one list the manifest writer, the
// registration script and lib/builtin.ts agree on.
'use strict';

// 32473 is IANA's Private Enterprise Number for documentation (RFC 5612): a vendor shipping
// these modules under its own name should register with its own PEN.
const EAPHOST_AUTHOR_ID = 32473;

// What each method really provides, as eapProp* bits (1 << EAP_METHOD_PROPERTY_TYPE): the same
// claims the module's EapPeerGetMethodProperties reports without connection data
// (native/method_module/method_properties.cc). EAPHost's GetMethods hands out the registered
// value, and Windows' supplicants pick methods by it; test/method-properties.test.ts holds the
// two to one another through the module itself.
const PROP = Object.freeze({
  cipherSuiteNegotiation: 1 << 0, mutualAuth: 1 << 1, integrity: 1 << 2, replayProtection: 1 << 3,
  confidentiality: 1 << 4, keyDerivation: 1 << 5, keyStrength128: 1 << 7, keyStrength256: 1 << 8,
  keyStrength512: 1 << 9, dictionaryAttackResistance: 1 << 11, sessionIndependence: 1 << 14,
  fragmentation: 1 << 15, standalone: 1 << 18, mppeEncryption: 1 << 19, tunnelMethod: 1 << 20,
  supportsConfig: 1 << 21, machineAuth: 1 << 24, userAuth: 1 << 25,
});
const bits = (...names) => names.reduce((sum, name) => sum | PROP[name], 0) >>> 0;
// A password without keys: the peer proves itself, nothing more.
const PASSWORD_ONLY = bits('userAuth', 'standalone', 'supportsConfig');
// MS-CHAPv2 also checks the authenticator response (RFC 2759) and derives MPPE keys (RFC 3079).
const MSCHAPV2 = (PASSWORD_ONLY | bits('mutualAuth', 'keyDerivation', 'keyStrength128', 'mppeEncryption')) >>> 0;
const TLS = bits('cipherSuiteNegotiation', 'mutualAuth', 'integrity', 'replayProtection', 'confidentiality',
  'keyDerivation', 'keyStrength128', 'keyStrength256', 'keyStrength512', 'dictionaryAttackResistance',
  'sessionIndependence', 'fragmentation', 'standalone', 'mppeEncryption', 'supportsConfig', 'machineAuth', 'userAuth');
const TUNNEL = (TLS | PROP.tunnelMethod) >>> 0;

/** The name registered as the author (the <AuthorId> key's default value). */
const EAPHOST_AUTHOR_NAME = 'eaphost';

// `tls: true` marks the methods built on the TLS engine (GnuTLS): built where GnuTLS exists
// (Linux, macOS). On Windows the real EAPHost's own PEAP / EAP-TLS / TTLS serve the peer, so
// the Windows module keeps the others only and nothing registers the TLS ones there.
const allShippedMethods = Object.freeze([
  { name: 'md5', type: 4, friendlyName: 'EAP-MD5 (eaphost)', properties: PASSWORD_ONLY },
  { name: 'gtc', type: 6, friendlyName: 'EAP-GTC (eaphost)', properties: PASSWORD_ONLY },
  { name: 'mschapv2', type: 26, friendlyName: 'EAP-MSCHAPv2 (eaphost)', properties: MSCHAPV2 },
  { name: 'tls', type: 13, friendlyName: 'EAP-TLS (eaphost)', tls: true, properties: TLS },
  { name: 'ttls', type: 21, friendlyName: 'EAP-TTLS (eaphost)', tls: true, properties: TUNNEL },
  { name: 'peap', type: 25, friendlyName: 'PEAP (eaphost)', tls: true, properties: TUNNEL },
].map((m) => Object.freeze({ tls: false, ...m, authorId: EAPHOST_AUTHOR_ID, authorName: EAPHOST_AUTHOR_NAME })));

/** The methods a build for `platform` (a process.platform value) ships. */
function shippedMethodsFor(platform) {
  return Object.freeze(allShippedMethods.filter((m) => !m.tls || platform !== 'win32'));
}

/** The methods this platform's build ships. */
const shippedMethods = shippedMethodsFor(process.platform);

module.exports = { EAPHOST_AUTHOR_ID, EAPHOST_AUTHOR_NAME, allShippedMethods, shippedMethods, shippedMethodsFor };
