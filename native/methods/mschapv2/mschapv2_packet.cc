#include "mschapv2_packet.h"

#include <cstring>

namespace eaphost {
namespace mschapv2 {

namespace {
constexpr std::size_t kMaxMessageText = 256;

int HexDigit(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The value of "<key>=" in a space-separated message, up to the next space (or, for M=, to
// the end). Keys are matched only at the start of a field.
bool FindField(ByteSpan message, char key, bool toEnd, ByteSpan* value) {
  const std::uint8_t* s = message.data;
  for (std::size_t i = 0; i + 1 < message.size; ++i) {
    bool fieldStart = i == 0 || s[i - 1] == ' ';
    if (!fieldStart || s[i] != key || s[i + 1] != '=') continue;
    std::size_t begin = i + 2;
    std::size_t end = begin;
    while (end < message.size && (toEnd || s[end] != ' ')) ++end;
    *value = ByteSpan{s + begin, end - begin};
    return true;
  }
  return false;
}
}  // namespace

bool ReadMsChapPacket(ByteSpan typeData, MsChapPacket* out) {
  if (typeData.size == 0) return false;
  out->opCode = typeData.data[0];
  if (typeData.size == 1) {
    out->id = 0;
    out->data = ByteSpan{};
    return out->opCode == kOpSuccess || out->opCode == kOpFailure;
  }
  if (typeData.size < kHeaderSize) return false;
  std::size_t msLength = (static_cast<std::size_t>(typeData.data[2]) << 8) | typeData.data[3];
  if (msLength != typeData.size) return false;
  out->id = typeData.data[1];
  out->data = ByteSpan{typeData.data + kHeaderSize, typeData.size - kHeaderSize};
  return true;
}

void WriteMsChapHeader(TypeDataWriter* out, OpCode op, std::uint8_t id, std::size_t dataSize) {
  out->Put(static_cast<std::uint8_t>(op));
  out->Put(id);
  out->PutBigEndian16(static_cast<std::uint16_t>(kHeaderSize + dataSize));
}

bool ReadValue(ByteSpan data, std::size_t size, ByteSpan* value, ByteSpan* name) {
  if (data.size < 1 + size || data.data[0] != size) return false;
  *value = ByteSpan{data.data + 1, size};
  *name = ByteSpan{data.data + 1 + size, data.size - 1 - size};
  return true;
}

FailureMessage ParseFailureMessage(ByteSpan message) {
  FailureMessage parsed;
  ByteSpan field;
  if (FindField(message, 'E', false, &field)) {
    for (std::size_t i = 0; i < field.size && i < 10; ++i) {
      if (field.data[i] < '0' || field.data[i] > '9') break;
      parsed.error = parsed.error * 10 + (field.data[i] - '0');
    }
  }
  parsed.retry = FindField(message, 'R', false, &field) && field.size == 1 && field.data[0] == '1';
  if (FindField(message, 'M', true, &field)) {
    for (std::size_t i = 0; i < field.size && parsed.text.size() < kMaxMessageText; ++i) {
      std::uint8_t c = field.data[i];
      parsed.text.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
    }
  }
  return parsed;
}

bool ParseAuthenticatorResponse(ByteSpan message, std::uint8_t out[20]) {
  ByteSpan field;
  if (!FindField(message, 'S', false, &field) || field.size != 40) return false;
  for (std::size_t i = 0; i < 20; ++i) {
    int high = HexDigit(field.data[2 * i]);
    int low = HexDigit(field.data[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

std::string Hex(const std::uint8_t* bytes, std::size_t size) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0xF]);
  }
  return text;
}

}  // namespace mschapv2
}  // namespace eaphost
