// The "eCFG" version-1 connection data of the TLS-based methods as a list of typed values,
// and the value checks lib/core/connection-data.ts applies before it encodes (so XML and JS make
// the same bytes or the same refusal). Layout: generated/connection_data_format.h. Used by
// config_xml.cc only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../abi/eap_platform.h"
#include "generated/connection_data_format.h"
#include "secret_bytes.h"

namespace eaphost {

struct ConnectionDataValue {
  ConnectionDataType type;
  SecretBytes value;  // every value is wiped: keys and passwords travel here too
};

// Appends the TLVs to a blob that starts with the magic and version; throws MethodFailure
// when the whole is over kConnectionDataMaxBlob.
void EncodeConnectionData(const std::vector<ConnectionDataValue>& values, SecretBytes* blob);
// Splits a blob into its values, checking magic, version, every length and that each type is a
// declared one (what a type holds is its reader's to check).
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
