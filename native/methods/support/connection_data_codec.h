// The "eCFG" version-1 connection data of the TLS-based methods as a list of typed values,
// and the value checks lib/core/connection-data.ts applies before it encodes (so XML and JS make
// the same bytes or the same refusal). Layout: tls/tls_config.h. Used by config_xml.cc only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../abi/eap_platform.h"
#include "secret_bytes.h"

namespace eaphost {

enum ConnectionDataType : std::uint8_t {
  kCdCa = 1,
  kCdServerName = 2,
  kCdFlags = 3,
  kCdTlsMin = 4,
  kCdTlsMax = 5,
  kCdInnerMethod = 6,
  kCdPhase2 = 7,
  kCdCertificate = 8,
  kCdPrivateKey = 9,
  kCdPrivateKeyPassword = 10,
  kCdAnonymousIdentity = 11,
  kCdPkcs12 = 12,
};

constexpr std::uint32_t kCdFlagInsecure = 1;
constexpr std::uint32_t kCdFlagRequireCryptoBinding = 2;
constexpr std::size_t kCdMaxBlob = 262144;
constexpr std::size_t kCdMaxPem = 65536;
constexpr std::size_t kCdMaxName = 253;

struct ConnectionDataValue {
  std::uint8_t type;
  SecretBytes value;  // every value is wiped: keys and passwords travel here too
};

// Appends the TLVs to a blob that starts with the magic and version; throws MethodFailure
// when the whole is over kCdMaxBlob.
void EncodeConnectionData(const std::vector<ConnectionDataValue>& values, SecretBytes* blob);
// Splits a blob into its values, checking magic, version, every length and the known types.
void DecodeConnectionData(const eap::BYTE* blob, eap::DWORD size,
                          std::vector<ConnectionDataValue>* values);

// The CERTIFICATE blocks of PEM text, each from its BEGIN to its END line, joined by LF with a
// final LF (what lib/core/connection-data.ts stores); empty when there is none.
std::string CertificateBlocks(const std::string& pem);
// The one private-key block (+LF) and whether it is encrypted; false unless exactly one.
bool PrivateKeyBlock(const std::string& pem, std::string* block, bool* encrypted);
bool IsDnsName(const std::string& name);

// RFC 4648 base64, white space ignored on decoding; false when malformed.
bool Base64Decode(const std::string& text, SecretBytes* out);
std::string Base64Encode(const std::uint8_t* data, std::size_t size);

}  // namespace eaphost
