// Diameter AVPs as EAP-TTLS carries them in its tunnel (RFC 5281 §10): Code (4), Flags (1:
// V vendor, M mandatory), Length (3, header included), Vendor-Id (4, when V), Data, padding to
// a multiple of 4.
#pragma once

#include <cstdint>
#include <vector>

#include "../../common/byte_span.h"

namespace eaphost {
namespace ttls {

constexpr std::uint32_t kAvpUserName = 1;
constexpr std::uint32_t kAvpUserPassword = 2;
constexpr std::uint32_t kAvpChapPassword = 3;
constexpr std::uint32_t kAvpChapChallenge = 60;
constexpr std::uint32_t kAvpEapMessage = 79;
constexpr std::uint32_t kVendorMicrosoft = 311;
constexpr std::uint32_t kAvpMsChapChallenge = 11;
constexpr std::uint32_t kAvpMsChapResponse = 1;
constexpr std::uint32_t kAvpMsChapError = 2;
constexpr std::uint32_t kAvpMsChap2Response = 25;
constexpr std::uint32_t kAvpMsChap2Success = 26;

struct Avp {
  std::uint32_t code = 0;
  std::uint32_t vendor = 0;  // 0: IETF
  bool mandatory = false;
  ByteSpan data;
};

// Splits `data` into AVPs (views into it). False when a length is malformed or runs past it.
bool ParseAvps(ByteSpan data, std::vector<Avp>* out);
// The first AVP with this code and vendor, or nullptr.
const Avp* FindAvp(const std::vector<Avp>& avps, std::uint32_t code, std::uint32_t vendor = 0);
// Appends one AVP (mandatory flag set), padded to 4 bytes.
void PutAvp(std::vector<std::uint8_t>* out, std::uint32_t code, std::uint32_t vendor, ByteSpan data);

}  // namespace ttls
}  // namespace eaphost
