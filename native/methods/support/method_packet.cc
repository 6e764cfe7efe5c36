#include "method_packet.h"

#include <algorithm>

#include "../../common/secure_zero.h"
#include "method_error.h"
#include "../method.h"

namespace eaphost {

bool ReadMethodPacket(const eap::EapPacket* packet, eap::DWORD received, const char* what,
                      MethodPacketView* out, std::string* why) {
  const std::string name(what);
  if (packet == nullptr || received < kEapHeaderSize) {
    *why = name + " is truncated: " + Decimal(packet == nullptr ? 0 : received) +
           " bytes received, the EAP header alone needs " + Decimal(kEapHeaderSize);
    return false;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(packet);
  std::size_t length = (static_cast<std::size_t>(bytes[2]) << 8) | bytes[3];
  if (length > received) {
    *why = name + " is truncated: its header Length is " + Decimal(length) + " but only " +
           Decimal(received) + " bytes were received";
    return false;
  }
  if (length < kEapTypedHeaderSize) {
    *why = name + " is malformed: header Length " + Decimal(length) +
           " leaves no room for the Type octet (at least " + Decimal(kEapTypedHeaderSize) + ")";
    return false;
  }
  out->code = bytes[0];
  out->identifier = bytes[1];
  out->type = bytes[4];
  out->length = length;
  out->typeData = ByteSpan{bytes + kEapTypedHeaderSize, length - kEapTypedHeaderSize};
  return true;
}

bool ReadValueSizeData(ByteSpan typeData, const char* what, ValueSizeData* out, std::string* why) {
  const std::string name(what);
  if (typeData.size == 0) {
    *why = name + " is truncated: it ends after the type octet, with no Value-Size octet";
    return false;
  }
  std::size_t valueSize = typeData.data[0];
  std::size_t available = typeData.size - 1;
  if (valueSize == 0) {
    *why = name + " is malformed: Value-Size is 0, a CHAP value needs at least one octet";
    return false;
  }
  if (valueSize > available) {
    *why = name + " is truncated: Value-Size " + Decimal(valueSize) + " exceeds the " +
           Decimal(available) + " bytes after the Value-Size octet";
    return false;
  }
  out->value = ByteSpan{typeData.data + 1, valueSize};
  out->name = ByteSpan{typeData.data + 1 + valueSize, available - valueSize};
  return true;
}

void WriteMethodHeader(eap::EapPacket* packet, eap::BYTE code, eap::BYTE identifier,
                       std::uint16_t length, eap::BYTE type) {
  auto* bytes = reinterpret_cast<std::uint8_t*>(packet);
  bytes[0] = code;
  bytes[1] = identifier;
  bytes[2] = static_cast<std::uint8_t>(length >> 8);
  bytes[3] = static_cast<std::uint8_t>(length & 0xFF);
  bytes[4] = type;
}

std::uint8_t* TypeDataOf(eap::EapPacket* packet) {
  return reinterpret_cast<std::uint8_t*>(packet) + kEapTypedHeaderSize;
}

TypeDataWriter::~TypeDataWriter() { SecureZero(bytes_.data(), bytes_.size()); }

void TypeDataWriter::Grow(std::size_t more) {
  std::vector<std::uint8_t> grown;
  grown.reserve(std::max(2 * bytes_.capacity(), bytes_.size() + more));
  grown.assign(bytes_.begin(), bytes_.end());
  SecureZero(bytes_.data(), bytes_.size());
  bytes_.swap(grown);
}

}  // namespace eaphost
