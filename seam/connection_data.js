// The connection data of the TLS-based methods (EAP-TLS, PEAP, EAP-TTLS, TEAP), declared once: the
// per-profile configuration EAPHost hands a method beside the user blob (pConnectionData), and the
// authenticator's per-method configuration. seam/generate-connection-data.js generates from it
// lib/core/generated/connection-data-format.ts (what lib/core/connection-data.ts encodes with) and
// native/methods/support/generated/connection_data_format.h (what the methods read with:
// tls/tls_config.cc, support/connection_data_codec.cc).
//
// Format, version 1 (big-endian, no padding):
//
//   offset 0  magic "eCFG" (65 43 46 47)
//   offset 4  version, 1
//   then TLVs to the end: Type (1) | Length (4) | Value (Length bytes)
//
// Unknown types and duplicates (except the `repeatable` ones) are errors, not skipped: a version-1
// reader never guesses. An empty blob means "all defaults".
//
// A type: `name` (TS ConnectionDataType.<Pascal>, C++ ConnectionDataType::k<Pascal>, and the
// word the methods' errors name it by), `number`, `value` (what the value holds: the kinds below),
// `size` (fixed-size values only: their one size), `repeatable`, `readers` (which native readers
// read it: `method`, every TLS-based method's ParseTlsConfig; `xml`, the configuration XML of the
// method module, support/config_xml.cc, which refuses a blob holding a type it does not read)
// and `doc`.
// Value kinds: pem (PEM text), dnsName (UTF-8 DNS name), utf8 (UTF-8 text), secret (bytes, wiped),
// path (UTF-8 path of a file), url (UTF-8 URL), flags (the flag bits below), tlsVersion (a wire
// version), eapTypes / eapType (EAP types), byte (a number), uint32 (a number), storeCertificate.
// A flag: `name` (TS ConnectionDataFlag.<Pascal>, C++ ConnectionDataFlag::k<Pascal>), `bit` and `doc`.
'use strict';

const BOTH = ['method', 'xml'];
const METHOD = ['method'];

module.exports = {
  magic: 'eCFG',
  version: 1,
  // The bounds every writer checks first and every reader refuses past.
  limits: [
    { name: 'blob', value: 262144, doc: 'The most bytes of a whole blob.' },
    { name: 'pem', value: 65536, doc: 'The most bytes of a PEM value, a DER PKCS#12 or a key password.' },
    { name: 'name', value: 253, doc: 'The most bytes of a DNS name or an identity.' },
    { name: 'path', value: 4096, doc: 'The most bytes of a file path or a URL.' },
    { name: 'crlFiles', value: 16, doc: 'The most crl values (CRL files) one blob names.' },
    { name: 'innerMethods', value: 4, doc: 'The most EAP types of innerMethod.' },
    { name: 'sessionLifetime', value: 604800, doc: 'The longest sessionLifetime, in seconds: 7 days, RFC 8446\'s ticket cap.' },
  ],
  types: [
    { name: 'ca', number: 1, value: 'pem', readers: BOTH,
      doc: 'PEM CERTIFICATE blocks: the peer\'s trusted CAs for the server, the authenticator\'s CAs for client certificates.' },
    { name: 'serverName', number: 2, value: 'dnsName', repeatable: true, readers: BOTH,
      doc: 'A DNS name the server certificate must carry (SAN dNSName, else CN): any may match.' },
    { name: 'flags', number: 3, value: 'flags', size: 4, readers: BOTH, doc: 'The flag bits below (4 bytes).' },
    { name: 'tlsMin', number: 4, value: 'tlsVersion', size: 2, readers: BOTH,
      doc: '0x0303 TLS 1.2, 0x0304 TLS 1.3 (0x0301 TLS 1.0, 0x0302 TLS 1.1 with the allowObsoleteTls flag only).' },
    { name: 'tlsMax', number: 5, value: 'tlsVersion', size: 2, readers: BOTH, doc: 'As tlsMin.' },
    { name: 'innerMethod', number: 6, value: 'eapTypes', readers: BOTH,
      doc: '1 to 4 distinct EAP types: 26 MSCHAPv2, 6 GTC, 4 MD5; 13 EAP-TLS (TEAP only: the inner EAP-TLS takes ' +
        'this same configuration\'s CA, server names, certificate and key, and on an authenticator its CRLs and ' +
        'OCSP). A peer runs the first; an authenticator proposes the first and offers them all: a Nak naming ' +
        'another of them is followed.' },
    { name: 'phase2', number: 7, value: 'byte', size: 1, readers: BOTH,
      doc: 'EAP-TTLS: 1 PAP, 2 CHAP, 3 MS-CHAP, 4 MS-CHAPv2, 5 EAP.' },
    { name: 'certificate', number: 8, value: 'pem', readers: BOTH,
      doc: 'PEM chain: the EAP-TLS client\'s, or the authenticator\'s server chain.' },
    { name: 'privateKey', number: 9, value: 'secret', readers: BOTH, doc: 'PEM (PKCS#8, RSA or EC; may be encrypted), a secret.' },
    { name: 'privateKeyPassword', number: 10, value: 'secret', readers: BOTH, doc: 'UTF-8, a secret.' },
    { name: 'anonymousIdentity', number: 11, value: 'utf8', readers: BOTH, doc: 'UTF-8 outer identity, sent in the clear.' },
    { name: 'pkcs12', number: 12, value: 'secret', readers: BOTH, doc: 'DER PKCS#12 holding certificate and key; privateKeyPassword is its password.' },
    { name: 'sessionLifetime', number: 13, value: 'uint32', size: 4, readers: METHOD,
      doc: 'Authenticator: seconds a session stays resumable, at most 604800 (7 days, RFC 8446\'s ticket cap); 0 ' +
        'turns resumption off. A peer takes 0 only: it then neither offers nor keeps a session.' },
    { name: 'crl', number: 14, value: 'path', repeatable: true, readers: METHOD,
      doc: 'UTF-8 path of a CRL file (PEM or DER): the other side\'s certificate is refused when revoked, or when ' +
        'no CRL of its issuer is among them. A path, not the CRL, so a file replaced on disk is read again at the ' +
        'next handshake.' },
    { name: 'ocspResponse', number: 15, value: 'path', readers: METHOD,
      doc: 'Authenticator: UTF-8 path of a DER OCSP response, stapled to the server\'s certificate (TLS 1.2 ' +
        'status_request, TLS 1.3 Certificate entry); read again when the file changes, as crl is.' },
    { name: 'ocsp', number: 16, value: 'byte', size: 1, readers: METHOD,
      doc: 'Peer: 0 off, 1 request a stapled OCSP response and check it when given, 2 require one.' },
    { name: 'ocspResponder', number: 17, value: 'url', readers: METHOD,
      doc: 'EAP-TLS authenticator: an http:// URL, the OCSP responder asked about each client certificate; the ' +
        'ocspResponderFailOpen flag lets a client in when it cannot be reached.' },
    { name: 'teapSecondInner', number: 18, value: 'eapType', size: 1, readers: METHOD,
      doc: 'TEAP, EAP chaining: the second inner method, the user\'s after the machine\'s. The peer runs it when ' +
        'the server starts a second inner method; an authenticator proposes it for the user\'s and chains ' +
        '(the teapChaining flag) whether or not that is set.' },
    { name: 'certStore', number: 19, value: 'storeCertificate', readers: METHOD,
      doc: 'Peer: the own certificate and key from the Windows certificate store instead of certificate / ' +
        'privateKey / pkcs12: location (1 byte: 1 CurrentUser, 2 LocalMachine) | store name length (1 byte, ' +
        '1..64) | store name (UTF-8) | selector (1 byte: 1 SHA-1 thumbprint, 20 bytes follow; 2 subject ' +
        'substring, 1..253 bytes of UTF-8 follow).' },
    { name: 'ticketKey', number: 20, value: 'secret', size: 64, readers: METHOD,
      doc: 'Authenticator: the master key of the session tickets, a secret, in GnuTLS\'s format (name 16, cipher key 32, MAC key 16; ' +
        'gnutls_session_ticket_key_generate\'s: raw random bytes). Authenticators given the same key (and the ' +
        'same sessionLifetime, which sets GnuTLS\'s rotation period) resume each other\'s TLS 1.3 sessions; ' +
        'without it each configuration makes its own.' },
  ],
  flags: [
    { name: 'insecure', bit: 0, doc: 'No server certificate verification.' },
    { name: 'requireCryptoBinding', bit: 1, doc: 'PEAP: require the server\'s cryptobinding TLV.' },
    { name: 'allowWeakRsa', bit: 2, doc: 'Accept an RSA key under 2048 bits in the other side\'s certificate.' },
    { name: 'noFastReconnect', bit: 3,
      doc: 'PEAP and EAP-TTLS authenticator: a resumed session runs phase 2 in full.' },
    { name: 'crlChain', bit: 4, doc: 'Check every certificate of the other side\'s chain against the CRLs, not only its leaf.' },
    { name: 'allowStaleCrl', bit: 5, doc: 'Accept a CRL past its nextUpdate.' },
    { name: 'ocspResponderFailOpen', bit: 6, doc: 'Accept a client when the OCSP responder cannot answer.' },
    { name: 'teapWindowsMsChapV2Keys', bit: 7,
      doc: 'TEAP: an inner EAP-MSCHAPv2\'s keys enter the key chain in Windows\' order only (teap/teap_keys.h).' },
    { name: 'teapHostapMsChapV2Keys', bit: 8,
      doc: 'TEAP: in hostap 2.10\'s order only. Neither: a peer accepts both, an authenticator uses hostap\'s; ' +
        'both is an error.' },
    { name: 'teapBasicPassword', bit: 9, doc: 'TEAP authenticator: Basic-Password-Auth instead of an inner EAP method.' },
    { name: 'teapChaining', bit: 10, doc: 'TEAP authenticator: EAP chaining, a machine, then a user.' },
    { name: 'allowObsoleteTls', bit: 11,
      doc: 'Allow TLS 1.0 / 1.1 in tlsMin / tlsMax (RFC 8996 obsoletes them: for probing old servers, eaphost audit).' },
    { name: 'privateAttributes', bit: 12,
      doc: 'Authenticator: the host takes our private attributes out of the result (the conversation\'s facts, ' +
        'common/conversation_facts.h; a refusal\'s words, common/method_refusal.h): eaphost\'s own hosts set it; ' +
        'a host that does not (EAPHost under NPS) never gets them to forward.' },
  ],
};
