// What an authenticator method's conversation established, carried from the method to its host
// as typed data (the server's metrics count by it): the TLS version its handshake negotiated,
// whether the session was resumed, and the inner method a tunnel ran. The method ABI's
// EapMethodAuthenticatorGetResult has no field for them, so our methods add one private
// attribute to the result's pAuthAttribs, on success and failure alike, beside the refusal's
// (method_refusal.h), and our host takes it out of the list again. Only a host that asked gets
// it (flags bit12 of the method's configuration, seam/connection_data.js): eaphost's own hosts
// ask; EAPHost inside NPS does not, and where it copies a result's attributes into the
// Access-Accept, nothing private is there to reach the NAS.
//
//   eaType eatVendorSpecific, value:
//     Vendor-Id (4, big-endian) 32473 | Vendor-Type (1) 3 | Vendor-Length (1) 0
//     TLS version (2, big-endian; 0: no handshake completed) | resumed (1: 0 or 1)
//     inner kind (1: 0 none, 1 an EAP method, 2 EAP-TTLS's AVP phase 2) | inner code (1: the EAP
//     type, or for AVPs 1 PAP, 2 CHAP, 3 MS-CHAP, 4 MS-CHAP-V2, RFC 5281 §11.2)
//
// Vendor-Length 0 keeps it from ever passing for a well-formed RADIUS Vendor-Specific.
#pragma once

#include <cstdint>
#include <vector>

#include "../abi/eap_types.h"

namespace eaphost {

constexpr eap::DWORD kConversationFactsVendorId = 32473;
constexpr eap::BYTE kConversationFactsVendorType = 3;
constexpr std::size_t kConversationFactsSize = 6 + 5;

enum class InnerKind : std::uint8_t { kNone = 0, kEap = 1, kTtlsAvp = 2 };

struct ConversationFacts {
  std::uint16_t tlsVersion = 0;  // the wire value, 0x0303 for TLS 1.2
  bool resumed = false;
  InnerKind innerKind = InnerKind::kNone;
  std::uint8_t innerCode = 0;
  bool any() const { return tlsVersion != 0 || innerKind != InnerKind::kNone; }
};

inline std::vector<std::uint8_t> EncodeConversationFacts(const ConversationFacts& facts) {
  return {static_cast<std::uint8_t>(kConversationFactsVendorId >> 24),
          static_cast<std::uint8_t>(kConversationFactsVendorId >> 16),
          static_cast<std::uint8_t>(kConversationFactsVendorId >> 8),
          static_cast<std::uint8_t>(kConversationFactsVendorId),
          kConversationFactsVendorType,
          0,
          static_cast<std::uint8_t>(facts.tlsVersion >> 8),
          static_cast<std::uint8_t>(facts.tlsVersion),
          static_cast<std::uint8_t>(facts.resumed ? 1 : 0),
          static_cast<std::uint8_t>(facts.innerKind),
          facts.innerCode};
}

// True when `attribute` is the facts attribute, of exactly its size and with known values.
inline bool DecodeConversationFacts(eap::EAP_ATTRIBUTE_TYPE type, const std::uint8_t* value, std::size_t size,
                                    ConversationFacts* facts) {
  if (type != eap::eatVendorSpecific || value == nullptr || size != kConversationFactsSize) return false;
  const std::uint32_t vendor = static_cast<std::uint32_t>(value[0]) << 24 | static_cast<std::uint32_t>(value[1]) << 16 |
                               static_cast<std::uint32_t>(value[2]) << 8 | value[3];
  if (vendor != kConversationFactsVendorId || value[4] != kConversationFactsVendorType || value[5] != 0) return false;
  if (value[8] > 1 || value[9] > static_cast<std::uint8_t>(InnerKind::kTtlsAvp)) return false;
  facts->tlsVersion = static_cast<std::uint16_t>(value[6] << 8 | value[7]);
  facts->resumed = value[8] == 1;
  facts->innerKind = static_cast<InnerKind>(value[9]);
  facts->innerCode = value[10];
  return true;
}

}  // namespace eaphost
