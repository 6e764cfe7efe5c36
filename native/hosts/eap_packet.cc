#include "eap_packet.h"

namespace eaphost {

bool ParseEapPacket(const std::uint8_t* data, std::size_t size, EapPacketView* view) {
  if (data == nullptr || size < kEapHeaderLength || view == nullptr) return false;
  std::size_t length = (static_cast<std::size_t>(data[2]) << 8) | data[3];
  if (length < kEapHeaderLength || length > size) return false;
  EapPacketView parsed;
  parsed.code = data[0];
  parsed.id = data[1];
  parsed.length = static_cast<std::uint16_t>(length);
  if (parsed.code == eap::EapCodeRequest || parsed.code == eap::EapCodeResponse) {
    // RFC 3748 §4.1: a Request or Response carries a Type octet.
    if (length < kEapHeaderLength + 1) return false;
    parsed.type = data[kEapHeaderLength];
    parsed.typeDataLength = length - kEapHeaderLength - 1;
    parsed.typeData = parsed.typeDataLength > 0 ? data + kEapHeaderLength + 1 : nullptr;
  }
  *view = parsed;
  return true;
}

std::vector<std::uint8_t> BuildEapPacket(std::uint8_t code, std::uint8_t id, std::uint8_t type,
                                         const std::uint8_t* typeData,
                                         std::size_t typeDataLength) {
  if (typeData == nullptr) typeDataLength = 0;
  // The Length field is 16 bits: type data beyond what fits is a caller bug; truncating keeps
  // the header honest rather than emitting a length that disagrees with the bytes.
  constexpr std::size_t kMaxTypeData = 0xFFFF - kEapHeaderLength - 1;
  if (typeDataLength > kMaxTypeData) typeDataLength = kMaxTypeData;
  std::size_t length = kEapHeaderLength + 1 + typeDataLength;
  std::vector<std::uint8_t> packet;
  packet.reserve(length);
  packet.push_back(code);
  packet.push_back(id);
  packet.push_back(static_cast<std::uint8_t>(length >> 8));
  packet.push_back(static_cast<std::uint8_t>(length & 0xFF));
  packet.push_back(type);
  if (typeDataLength > 0) packet.insert(packet.end(), typeData, typeData + typeDataLength);
  return packet;
}

std::vector<std::uint8_t> BuildEapSuccessOrFailure(std::uint8_t code, std::uint8_t id) {
  // RFC 3748 §4.2: Success and Failure are the bare 4-byte header.
  return std::vector<std::uint8_t>{code, id, 0, static_cast<std::uint8_t>(kEapHeaderLength)};
}

}  // namespace eaphost
