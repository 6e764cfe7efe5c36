// TEAP's TLVs (RFC 9930 §4.2): what travels inside the tunnel. Every TLV is Type (2, the top
// bit Mandatory) | Length (2) | Value; the parser checks each length against the data before it
// reads the value, refuses the TLVs whose size the RFC fixes when their length differs, and
// refuses a second Result, Intermediate-Result, Crypto-Binding or EAP-Payload TLV in one message
// (one message carries one step of the conversation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../../common/byte_span.h"

namespace eaphost {
namespace teap {

constexpr std::uint16_t kTlvMandatory = 0x8000;
constexpr std::uint16_t kTlvAuthorityId = 1;
constexpr std::uint16_t kTlvIdentityType = 2;
constexpr std::uint16_t kTlvResult = 3;
constexpr std::uint16_t kTlvNak = 4;
constexpr std::uint16_t kTlvError = 5;
constexpr std::uint16_t kTlvEapPayload = 9;
constexpr std::uint16_t kTlvIntermediateResult = 10;
constexpr std::uint16_t kTlvCryptoBinding = 12;
constexpr std::uint16_t kTlvBasicPasswordAuthReq = 13;
constexpr std::uint16_t kTlvBasicPasswordAuthResp = 14;

constexpr std::uint16_t kStatusSuccess = 1;
constexpr std::uint16_t kStatusFailure = 2;
constexpr std::uint16_t kIdentityTypeUser = 1;
constexpr std::uint16_t kIdentityTypeMachine = 2;
constexpr std::uint32_t kErrorTunnelCompromise = 2001;
constexpr std::uint32_t kErrorUnexpectedTlvs = 2002;

// Crypto-Binding TLV (§4.2.13): header (4), Reserved, Version, Received-Ver., Flags|Sub-Type,
// Nonce (32), EMSK Compound MAC (20), MSK Compound MAC (20).
constexpr std::size_t kCryptoBindingSize = 80;
constexpr std::size_t kNonceOffset = 8;
constexpr std::size_t kNonceSize = 32;
constexpr std::size_t kEmskMacOffset = 40;
constexpr std::size_t kMskMacOffset = 60;
constexpr std::size_t kCompoundMacSize = 20;
constexpr std::uint8_t kBindingEmsk = 1;        // Flags: EMSK Compound MAC only
constexpr std::uint8_t kBindingMsk = 2;         // MSK Compound MAC only
constexpr std::uint8_t kBindingBoth = 3;        // both
constexpr std::uint8_t kBindingRequest = 0;     // Sub-Type
constexpr std::uint8_t kBindingResponse = 1;
constexpr std::uint8_t kVersion = 1;

struct Tlvs {
  std::uint16_t result = 0;              // 0: absent
  std::uint16_t intermediateResult = 0;  // 0: absent
  std::uint16_t identityType = 0;        // 0: absent
  bool hasCryptoBinding = false;
  std::uint8_t cryptoBinding[kCryptoBindingSize] = {};
  bool hasEapPayload = false;
  ByteSpan eapPayload{nullptr, 0};       // an EAP packet, header included; points into the input
  bool hasBasicPasswordAuthReq = false;
  bool hasBasicPasswordAuthResp = false;
  ByteSpan basicPasswordAuthResp{nullptr, 0};
  bool hasNak = false;
  std::uint16_t nakType = 0;
  bool hasError = false;
  std::uint32_t errorCode = 0;
  bool unknownMandatory = false;
  std::uint16_t unknownType = 0;
};

// False when the TLVs are malformed (a length past the data, a fixed-size TLV of another size,
// a duplicate, a status other than Success or Failure).
bool ParseTlvs(ByteSpan data, Tlvs* out);

void PutTlv(std::vector<std::uint8_t>* out, std::uint16_t type, ByteSpan value);
void PutStatus(std::vector<std::uint8_t>* out, std::uint16_t type, std::uint16_t status);
void PutIdentityType(std::vector<std::uint8_t>* out, std::uint16_t identityType);
void PutNak(std::vector<std::uint8_t>* out, std::uint16_t nakType);
void PutError(std::vector<std::uint8_t>* out, std::uint32_t code);

// Basic-Password-Auth-Resp (§4.2.15): Userlen (1) | Username | Passlen (1) | Password. False
// when either is longer than 255 bytes or empty.
bool PutBasicPasswordAuthResp(std::vector<std::uint8_t>* out, ByteSpan user, ByteSpan password);
// Splits a received Basic-Password-Auth-Resp; false when its lengths do not add up.
bool SplitBasicPasswordAuthResp(ByteSpan value, ByteSpan* user, ByteSpan* password);

}  // namespace teap
}  // namespace eaphost
