// The configuration of the TLS-based methods (EAP-TLS, PEAP, EAP-TTLS) as it travels through
// the ABI: the connection data EAPHost keeps per network profile (peer) or the authenticator's
// per-method configuration, format version 1: its types, flag bits and bounds are declared in
// seam/connection_data.js, generated as ../support/generated/connection_data_format.h (read that
// header's table for the layout). Unknown types and duplicates (except serverName and crl) are
// errors, not skipped: a version-1 reader never guesses. An empty blob means "all defaults".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../common/byte_span.h"
#include "../support/generated/connection_data_format.h"
#include "../support/secret_bytes.h"

namespace eaphost {
namespace tls {

constexpr std::size_t kMaxConnectionDataSize = kConnectionDataMaxBlob;
constexpr std::size_t kMaxPemSize = kConnectionDataMaxPem;
constexpr std::size_t kMaxNameSize = kConnectionDataMaxName;
constexpr std::size_t kMaxPathSize = kConnectionDataMaxPath;
constexpr std::size_t kMaxCrlFiles = kConnectionDataMaxCrlFiles;
constexpr std::size_t kMaxInnerMethods = kConnectionDataMaxInnerMethods;
constexpr std::uint16_t kTls10 = 0x0301;
constexpr std::uint16_t kTls11 = 0x0302;
constexpr std::uint16_t kTls12 = 0x0303;
constexpr std::uint16_t kTls13 = 0x0304;
constexpr std::uint32_t kDefaultSessionLifetime = 3600;
constexpr std::uint32_t kMaxSessionLifetime = kConnectionDataMaxSessionLifetime;
// GnuTLS's session ticket master key (TICKET_MASTER_KEY_SIZE: name 16, cipher key 32, MAC key 16).
constexpr std::size_t kTicketKeySize = ConnectionDataValueSize(ConnectionDataType::kTicketKey);
static_assert(kTicketKeySize == 64, "GnuTLS's TICKET_MASTER_KEY_SIZE");

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
