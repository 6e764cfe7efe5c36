// EAP packet framing (RFC 3748 §4): bounded parsing and building. Every length is checked
// against the buffer before a byte is read.
#pragma once

#include <cstdint>
#include <vector>

#include "../abi/eap_types.h"

namespace eaphost {

constexpr std::uint8_t kEapTypeIdentity = 1;
constexpr std::uint8_t kEapTypeNotification = 2;
constexpr std::uint8_t kEapTypeNak = 3;
constexpr std::uint8_t kEapTypeMd5Challenge = 4;
constexpr std::uint8_t kEapTypeExpanded = 254;
constexpr std::size_t kEapHeaderLength = 4;

struct EapPacketView {
  std::uint8_t code = 0;
  std::uint8_t id = 0;
  std::uint16_t length = 0;          // from the header; equals the bytes used
  std::uint8_t type = 0;             // Request/Response only; 0 when absent
  const std::uint8_t* typeData = nullptr;  // bytes after the type octet
  std::size_t typeDataLength = 0;
};

// Parses `size` bytes. Fails (returns false) when shorter than the header, when the header
// length is < 4, exceeds `size`, or a Request/Response has no type octet. Bytes beyond the
// header length are padding and are ignored, as RFC 3748 §4.1 requires.
bool ParseEapPacket(const std::uint8_t* data, std::size_t size, EapPacketView* view);

std::vector<std::uint8_t> BuildEapPacket(std::uint8_t code, std::uint8_t id, std::uint8_t type,
                                         const std::uint8_t* typeData, std::size_t typeDataLength);
std::vector<std::uint8_t> BuildEapSuccessOrFailure(std::uint8_t code, std::uint8_t id);

}  // namespace eaphost
