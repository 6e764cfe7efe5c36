// The configuration of the TLS-based methods (EAP-TLS, PEAP, EAP-TTLS) as it travels through
// the ABI: the connection data EAPHost keeps per network profile (peer) or the authenticator's
// per-method configuration. Format, version 1 (big-endian, no padding):
//
//   offset 0  magic "eCFG" (65 43 46 47)
//   offset 4  version, 1
//   then TLVs to the end: Type (1) | Length (4) | Value (Length bytes)
//
//   1 ca                  PEM CERTIFICATE blocks: the peer's trusted CAs for the server, the
//                         authenticator's CAs for client certificates
//   2 serverName          UTF-8 DNS name the server certificate must carry (repeatable)
//   3 flags               4 bytes: bit0 insecure (no server verification), bit1 require
//                         the PEAP cryptobinding, bit2 allow RSA keys under 2048 bits in the
//                         other side's certificate, bit3 (PEAP and EAP-TTLS authenticator) no
//                         fast reconnect: a resumed session runs phase 2 in full, bit4
//                         check every certificate of the other side's chain against the CRLs
//                         (not only its leaf), bit5 accept a CRL past its nextUpdate, bit6
//                         accept a client when the OCSP responder cannot answer
//                         bit7 / bit8 (TEAP) an inner EAP-MSCHAPv2's keys enter the key chain
//                         in Windows' / hostap 2.10's order only (teap/teap_keys.h); neither:
//                         a peer accepts both, an authenticator uses hostap's; bit9 (TEAP
//                         authenticator) Basic-Password-Auth instead of an inner EAP method,
//                         bit10 (TEAP authenticator) EAP chaining: a machine, then a user,
//                         bit11 allow TLS 1.0 / 1.1 in tlsMin / tlsMax (RFC 8996 obsoletes them:
//                         for probing old servers, `eaphost audit`), bit12 (authenticator) the
//                         host takes our private attributes out of the result (the conversation's
//                         facts, common/conversation_facts.h; a refusal's words,
//                         common/method_refusal.h): eaphost's own hosts set it; a host that does
//                         not (EAPHost under NPS) never gets them to forward

//   4 tlsMin, 5 tlsMax    2 bytes: 0x0303 TLS 1.2, 0x0304 TLS 1.3 (0x0301 TLS 1.0, 0x0302 TLS
//                         1.1 with flags bit11 only)
//   6 innerMethod         1 to 4 distinct EAP types: 26 MSCHAPv2, 6 GTC, 4 MD5; 13 EAP-TLS (TEAP
//                         only: the inner EAP-TLS takes this same configuration's CA, server
//                         names, certificate and key, and on an authenticator its CRLs and OCSP).
//                         A peer runs the first; an authenticator proposes the first and offers
//                         them all: a Nak naming another of them is followed
//   7 phase2              1 byte (TTLS): 1 PAP, 2 CHAP, 3 MS-CHAP, 4 MS-CHAPv2, 5 EAP
//   8 certificate         PEM chain (EAP-TLS client / the authenticator's server chain)
//   9 privateKey          PEM (PKCS#8, RSA or EC; may be encrypted)
//  10 privateKeyPassword  UTF-8, a secret
//  11 anonymousIdentity   UTF-8 outer identity
//  12 pkcs12              DER PKCS#12 holding certificate and key, type 10 its password
//  13 sessionLifetime     4 bytes (authenticator): seconds a session stays resumable, at most
//                         604800 (7 days, RFC 8446's ticket cap); 0 turns resumption off. A
//                         peer takes 0 only: it then neither offers nor keeps a session
//  14 crl                 UTF-8 path of a CRL file (PEM or DER; repeatable): the other side's
//                         certificate is refused when revoked, or when no CRL of its issuer is
//                         among them. A path, not the CRL, so a file replaced on disk is read
//                         again at the next handshake (no restart for a new CRL)
//  15 ocspResponse        UTF-8 path of a DER OCSP response (authenticator): stapled to the
//                         server's certificate (TLS 1.2 status_request, TLS 1.3 Certificate
//                         entry); read again when the file changes, as crl is
//  16 ocsp                1 byte (peer): 0 off, 1 request a stapled OCSP response and check it
//                         when given, 2 require one
//  17 ocspResponder       UTF-8 http:// URL (EAP-TLS authenticator): the OCSP responder asked
//                         about each client certificate; flags bit6 lets a client in when it
//                         cannot be reached (fail open; refused by default)
//  18 teapSecondInner     1 byte EAP type (TEAP, EAP chaining): the second inner method, the
//                         user's after the machine's — the peer runs it when the server starts
//                         a second inner method; an authenticator proposes it for the user's
//                         (and offers it) and chains (flags bit10) whether or not that is set
//  19 certStore           (peer) the own certificate and key from the Windows certificate
//                         store instead of certificate / privateKey / pkcs12: location (1 byte:
//                         1 CurrentUser, 2 LocalMachine) | store name length (1 byte, 1..64) |
//                         store name (UTF-8) | selector (1 byte: 1 SHA-1 thumbprint, 20 bytes
//                         follow; 2 subject substring, 1..253 bytes of UTF-8 follow)
//  20 ticketKey           (authenticator) 64 bytes, a secret: the master key of the session
//                         tickets, in GnuTLS's format (gnutls_session_ticket_key_generate's:
//                         raw random bytes). Authenticators given the same key (and the same
//                         sessionLifetime, which sets GnuTLS's rotation period) resume each
//                         other's TLS 1.3 sessions; without it each configuration makes its own
//
// Unknown types and duplicates (except serverName and crl) are errors, not skipped: a version-1 reader
// never guesses. An empty blob means "all defaults".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../common/byte_span.h"
#include "../support/secret_bytes.h"

namespace eaphost {
namespace tls {

constexpr std::size_t kMaxConnectionDataSize = 262144;
constexpr std::size_t kMaxPemSize = 65536;
constexpr std::size_t kMaxNameSize = 253;
constexpr std::size_t kMaxPathSize = 4096;
constexpr std::size_t kMaxCrlFiles = 16;
constexpr std::size_t kMaxInnerMethods = 4;
constexpr std::uint16_t kTls10 = 0x0301;
constexpr std::uint16_t kTls11 = 0x0302;
constexpr std::uint16_t kTls12 = 0x0303;
constexpr std::uint16_t kTls13 = 0x0304;
constexpr std::uint32_t kDefaultSessionLifetime = 3600;
constexpr std::uint32_t kMaxSessionLifetime = 604800;
// GnuTLS's session ticket master key (TICKET_MASTER_KEY_SIZE: name 16, cipher key 32, MAC key 16).
constexpr std::size_t kTicketKeySize = 64;

enum class OcspMode : std::uint8_t { kOff = 0, kRequest = 1, kRequire = 2 };
enum class TeapKeyOrder : std::uint8_t { kAny, kHostap, kWindows };

enum class StoreLocation : std::uint8_t { kCurrentUser = 1, kLocalMachine = 2 };
constexpr std::size_t kMaxStoreNameSize = 64;
constexpr std::size_t kThumbprintSize = 20;

// A certificate of the Windows certificate store, and the key the store holds for it
// (tls_store_key.h): by SHA-1 thumbprint, or by a substring of its subject.
struct StoreCertificate {
  bool given = false;
  StoreLocation location = StoreLocation::kCurrentUser;
  std::string store;                     // "My", ...
  std::vector<std::uint8_t> thumbprint;  // 20 bytes, or empty when `subject` selects
  std::string subject;
  // The field's value as it came: what the credentials' digest takes.
  std::vector<std::uint8_t> encoded;
};

enum class Phase2 : std::uint8_t { kPap = 1, kChap = 2, kMsChap = 3, kMsChapV2 = 4, kEap = 5 };

struct TlsConfig {
  std::string ca;                        // PEM; empty = none given
  std::vector<std::string> serverNames;  // any may match
  bool insecure = false;
  bool privateAttributes = false;  // the host reads our private result attributes (flags bit12)
  bool requireCryptoBinding = false;
  bool allowWeakRsa = false;
  bool allowObsoleteTls = false;  // TLS 1.0 / 1.1 may be in tlsMin..tlsMax
  // PEAP and EAP-TTLS authenticator: a resumed TLS 1.2 session whose phase 2 once succeeded
  // skips phase 2.
  bool fastReconnect = true;
  std::uint16_t tlsMin = kTls12;
  std::uint16_t tlsMax = kTls13;
  std::uint8_t innerMethod = 26;  // EAP-MSCHAPv2: the first of innerMethods, or the default
  std::vector<std::uint8_t> innerMethods;  // as given, the proposed one first; empty = not given
  std::uint8_t teapSecondInnerMethod = 0;  // 0 = none
  Phase2 phase2 = Phase2::kMsChapV2;
  bool phase2Given = false;
  std::string certificate;  // PEM chain
  SecretBytes privateKey;   // PEM
  SecretBytes privateKeyPassword;
  SecretBytes pkcs12;       // DER
  StoreCertificate certStore;  // instead of certificate / privateKey / pkcs12
  std::string anonymousIdentity;
  std::uint32_t sessionLifetime = kDefaultSessionLifetime;  // seconds; 0 = no resumption
  SecretBytes ticketKey;  // authenticator: kTicketKeySize bytes, or empty (a random key per configuration)
  std::vector<std::string> crlFiles;  // paths; empty = no revocation check
  bool crlChain = false;              // the whole chain, not only the leaf
  bool allowStaleCrl = false;         // a CRL past its nextUpdate still counts
  std::string ocspResponseFile;       // authenticator: the DER response to staple; empty = none
  OcspMode ocsp = OcspMode::kOff;     // peer: what it asks of the server's stapled response
  std::string ocspResponder;          // authenticator: URL asked about client certificates
  bool ocspResponderFailOpen = false;
  TeapKeyOrder teapMsChapV2KeyOrder = TeapKeyOrder::kAny;
  bool teapBasicPassword = false;
  bool teapChaining = false;
};

// "CurrentUser\\My, thumbprint 0A1B…" or "CurrentUser\\My, subject containing \"…\"": how
// errors name a store certificate.
std::string StoreCertificateName(const StoreCertificate& ref);

// Throws MethodFailure (ERROR_INVALID_DATA) naming the first problem; never echoes a secret.
void ParseTlsConfig(ByteSpan blob, TlsConfig* out);

// True for the EAP types PEAP and EAP-TTLS carry inside: the inner rows of the method table.
bool IsInnerMethodType(std::uint8_t type);

// True for the EAP types TEAP carries inside: the inner rows and the teapInner rows (EAP-TLS).
bool IsTeapInnerMethodType(std::uint8_t type);

// Throws MethodFailure (ERROR_INVALID_DATA) when the configuration names an inner method the
// tunnel `tunnelType` does not carry (EAP-TLS inside PEAP or EAP-TTLS). Methods that carry
// none (EAP-TLS) ignore the field.
void CheckInnerMethodFor(std::uint8_t tunnelType, const char* tunnelName, const TlsConfig& config);

// The inner method an authenticator switches to when the peer Naks its first inner request:
// the first type of the Nak's list other than `proposed` that `offered` holds, or 0 when the
// switch is not allowed. A configuration that names its inner methods offers those only; with
// none named (`offered` empty) the default (EAP-MSCHAPv2) gives way to a peer set up for
// EAP-GTC or EAP-MD5, as FreeRADIUS's and hostapd's inner EAP servers do.
std::uint8_t InnerTypeAfterNak(const std::vector<std::uint8_t>& offered, std::uint8_t proposed, ByteSpan desired);

}  // namespace tls
}  // namespace eaphost
