// EAP-TLS framing's Flags octet (RFC 5216 §3.1, shared by PEAP, EAP-TTLS and TEAP): L length
// included, M more fragments, S start; the low three bits carry the PEAP / TTLS / TEAP version.
// The methods frame with it (methods/tls/tls_fragments.h), and the RADIUS server reads it to
// tell a tunnel's step from a handshake's (radius/wire/eap_tls_records.h).
#pragma once

#include <cstdint>

namespace eaphost {
namespace tls {

constexpr std::uint8_t kFlagLength = 0x80;
constexpr std::uint8_t kFlagMore = 0x40;
constexpr std::uint8_t kFlagStart = 0x20;
// TEAP (RFC 9930 §4.1): an Outer TLV Length field follows, and Outer TLVs end the Type-Data.
constexpr std::uint8_t kFlagOuterTlvs = 0x10;
constexpr std::uint8_t kVersionMask = 0x07;

}  // namespace tls
}  // namespace eaphost
