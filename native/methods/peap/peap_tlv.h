// MS-PEAP phase-2 framing: the Extensions packets (EAP type 33) that carry TLVs — the Result
// TLV (§2.2.8.1.2 type 3, mandatory) ending phase 2 and the Cryptobinding TLV (type 12) — and
// the cryptobinding key schedule (§3.1.5.5): IPMK/CMK from the tunnel key and the inner MSK, the
// Compound MAC over the TLV, and the compound session key that replaces the MSK once bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../common/byte_span.h"

namespace eaphost {
namespace peap {

constexpr std::uint8_t kEapTypeExtensions = 33;
constexpr std::uint16_t kTlvResult = 3;
constexpr std::uint16_t kTlvCryptobinding = 12;
constexpr std::uint16_t kResultSuccess = 1;
constexpr std::uint16_t kResultFailure = 2;
constexpr std::size_t kCryptobindingSize = 60;  // TLV header (4) + 56
constexpr std::size_t kNonceSize = 32;
constexpr std::size_t kTunnelKeySize = 60;      // TK: the first 60 bytes of the TLS keys
constexpr std::size_t kInnerKeySize = 32;       // ISK: the inner MSK, zero-padded
constexpr std::size_t kIpmkSize = 40;
constexpr std::size_t kCmkSize = 20;

struct TlvSet {
  bool hasResult = false;
  std::uint16_t result = 0;
  bool hasCryptobinding = false;
  std::uint8_t cryptobinding[kCryptobindingSize] = {};
  bool unknownMandatory = false;
  std::uint16_t unknownType = 0;
};

// Parses the TLVs after the Type octet. False when a length runs past the data.
bool ParseTlvs(ByteSpan tlvs, TlvSet* out);

void PutResultTlv(std::vector<std::uint8_t>* out, std::uint16_t status);
// A Cryptobinding TLV with `nonce`, subtype 0 (request) or 1 (response), MAC under `cmk`.
bool PutCryptobindingTlv(std::vector<std::uint8_t>* out, const std::uint8_t nonce[kNonceSize],
                         std::uint8_t subType, const std::uint8_t cmk[kCmkSize]);
// Checks a received Cryptobinding TLV: version 0, the subtype expected, the MAC under `cmk`.
bool CryptobindingValid(const std::uint8_t tlv[kCryptobindingSize], std::uint8_t subType,
                        const std::uint8_t cmk[kCmkSize]);

// IPMK ‖ CMK = PRF+(TK[0..39], "Inner Methods Compound Keys", ISK, 60).
bool CompoundKeys(const std::uint8_t tk[kTunnelKeySize], ByteSpan innerMsk,
                  std::uint8_t ipmk[kIpmkSize], std::uint8_t cmk[kCmkSize]);
// CSK = PRF+(IPMK, "Session Key Generating Function", 0x00, 128); out gets the first `size`.
bool CompoundSessionKey(const std::uint8_t ipmk[kIpmkSize], std::uint8_t* out, std::size_t size);

}  // namespace peap
}  // namespace eaphost
