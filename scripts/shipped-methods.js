// The EAP methods the eap_methods module implements: the one list the manifest writer, the
// registration script and lib/builtin.ts agree on.
'use strict';

// 32473 is IANA's Private Enterprise Number for documentation (RFC 5612): a vendor shipping
// these modules under its own name should register with its own PEN.
const EAPHOST_AUTHOR_ID = 32473;

const shippedMethods = Object.freeze([
  { name: 'md5', type: 4, friendlyName: 'EAP-MD5 (eaphost)' },
  { name: 'gtc', type: 6, friendlyName: 'EAP-GTC (eaphost)' },
  { name: 'mschapv2', type: 26, friendlyName: 'EAP-MSCHAPv2 (eaphost)' },
].map((m) => Object.freeze({ ...m, authorId: EAPHOST_AUTHOR_ID, properties: 0 })));

module.exports = { EAPHOST_AUTHOR_ID, shippedMethods };
