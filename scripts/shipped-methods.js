// The EAP methods the eap_methods module implements: the one list the manifest writer, the
// registration script and lib/builtin.ts agree on.
'use strict';

// 32473 is IANA's Private Enterprise Number for documentation (RFC 5612): a vendor shipping
// these modules under its own name should register with its own PEN.
const EAPHOST_AUTHOR_ID = 32473;

// `tls: true` marks the methods built on the TLS engine (GnuTLS): built where GnuTLS exists
// (Linux, macOS). On Windows the real EAPHost's own PEAP / EAP-TLS / TTLS serve the peer, so
// the Windows module keeps the others only and nothing registers the TLS ones there.
const allShippedMethods = Object.freeze([
  { name: 'md5', type: 4, friendlyName: 'EAP-MD5 (eaphost)' },
  { name: 'gtc', type: 6, friendlyName: 'EAP-GTC (eaphost)' },
  { name: 'mschapv2', type: 26, friendlyName: 'EAP-MSCHAPv2 (eaphost)' },
  { name: 'tls', type: 13, friendlyName: 'EAP-TLS (eaphost)', tls: true },
  { name: 'ttls', type: 21, friendlyName: 'EAP-TTLS (eaphost)', tls: true },
  { name: 'peap', type: 25, friendlyName: 'PEAP (eaphost)', tls: true },
].map((m) => Object.freeze({ tls: false, ...m, authorId: EAPHOST_AUTHOR_ID, properties: 0 })));

/** The methods a build for `platform` (a process.platform value) ships. */
function shippedMethodsFor(platform) {
  return Object.freeze(allShippedMethods.filter((m) => !m.tls || platform !== 'win32'));
}

/** The methods this platform's build ships. */
const shippedMethods = shippedMethodsFor(process.platform);

module.exports = { EAPHOST_AUTHOR_ID, allShippedMethods, shippedMethods, shippedMethodsFor };
