#include "eapol_frame.h"

#include <algorithm>

namespace eaphost::eapol {

namespace {
constexpr uint8_t kHighestVersion = 3;  // 802.1X-2010
constexpr uint8_t kHighestType = static_cast<uint8_t>(PacketType::kAnnouncementRequest);
constexpr size_t kEapHeaderSize = 4;

uint16_t ReadBigEndian16(const uint8_t* at) {
  return static_cast<uint16_t>((at[0] << 8) | at[1]);
}
}  // namespace

FrameVerdict ParseFrame(const uint8_t* frame, size_t length, FrameView* out) {
  if (frame == nullptr || length < kEthernetHeaderSize + kEapolHeaderSize) return FrameVerdict::kTooShort;
  if (ReadBigEndian16(frame + 12) != kEtherType) return FrameVerdict::kNotEapol;
  const uint8_t* eapol = frame + kEthernetHeaderSize;
  const uint8_t version = eapol[0];
  const uint8_t type = eapol[1];
  const size_t bodyLength = ReadBigEndian16(eapol + 2);
  if (version == 0 || version > kHighestVersion) return FrameVerdict::kBadVersion;
  if (type > kHighestType) return FrameVerdict::kUnknownType;
  const size_t available = length - kEthernetHeaderSize - kEapolHeaderSize;
  if (bodyLength > available) return FrameVerdict::kBodyOverrun;
  const uint8_t* body = eapol + kEapolHeaderSize;
  size_t used = bodyLength;
  if (type == static_cast<uint8_t>(PacketType::kEapPacket)) {
    if (bodyLength < kEapHeaderSize) return FrameVerdict::kBadEapLength;
    const size_t eapLength = ReadBigEndian16(body + 2);
    if (eapLength < kEapHeaderSize || eapLength > bodyLength) return FrameVerdict::kBadEapLength;
    used = eapLength;
  }
  std::copy(frame, frame + 6, out->destination.begin());
  std::copy(frame + 6, frame + 12, out->source.begin());
  out->version = version;
  out->type = type;
  out->body = body;
  out->bodyLength = used;
  return FrameVerdict::kWellFormed;
}

std::vector<uint8_t> BuildFrame(const MacAddress& destination, const MacAddress& source, uint8_t version,
                                uint8_t type, const uint8_t* body, size_t bodyLength) {
  std::vector<uint8_t> frame;
  if (bodyLength > kMaxBodyLength) return frame;
  frame.reserve(kEthernetHeaderSize + kEapolHeaderSize + bodyLength);
  frame.insert(frame.end(), destination.begin(), destination.end());
  frame.insert(frame.end(), source.begin(), source.end());
  frame.push_back(static_cast<uint8_t>(kEtherType >> 8));
  frame.push_back(static_cast<uint8_t>(kEtherType & 0xFF));
  frame.push_back(version);
  frame.push_back(type);
  frame.push_back(static_cast<uint8_t>(bodyLength >> 8));
  frame.push_back(static_cast<uint8_t>(bodyLength & 0xFF));
  if (bodyLength > 0) frame.insert(frame.end(), body, body + bodyLength);
  return frame;
}

}  // namespace eaphost::eapol
