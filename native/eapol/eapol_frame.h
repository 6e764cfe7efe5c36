// EAPOL frames (IEEE 802.1X-2010 §11.3) on Ethernet: the one place their layout is read. A frame
// is validated whole (Ethernet header, EAPOL version and type, the body length against the bytes
// that came, and for EAP-Packet the EAP length against the body) before anything reads its
// fields, so what passes on to JavaScript is always one well-formed PDU.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace eaphost::eapol {

using MacAddress = std::array<uint8_t, 6>;

constexpr uint16_t kEtherType = 0x888E;
constexpr size_t kEthernetHeaderSize = 14;
constexpr size_t kEapolHeaderSize = 4;
// 01:80:c2:00:00:03, the port access entity group address (802.1X-2010 Table 11-1).
constexpr MacAddress kPaeGroupAddress = {0x01, 0x80, 0xC2, 0x00, 0x00, 0x03};

enum class PacketType : uint8_t {
  kEapPacket = 0,
  kStart = 1,
  kLogoff = 2,
  kKey = 3,
  kEncapsulatedAsfAlert = 4,
  kMka = 5,
  kAnnouncementGeneric = 6,
  kAnnouncementSpecific = 7,
  kAnnouncementRequest = 8,
};

enum class FrameVerdict {
  kWellFormed,
  kTooShort,        // shorter than the Ethernet and EAPOL headers
  kNotEapol,        // another EtherType
  kBadVersion,      // protocol version 0 or above 3
  kUnknownType,     // a packet type 802.1X-2010 does not define
  kBodyOverrun,     // the body length names bytes the frame does not hold
  kBadEapLength,    // EAP-Packet whose EAP header is short or whose length overruns the body
};

/** What a validated frame holds; pointers into the caller's buffer. */
struct FrameView {
  MacAddress destination{};
  MacAddress source{};
  uint8_t version = 0;
  uint8_t type = 0;
  const uint8_t* body = nullptr;
  // For EAP-Packet: the EAP packet's own length (the rest is Ethernet padding).
  size_t bodyLength = 0;
};

/** Checks `frame` (a whole Ethernet frame as it came off the wire) and fills `out` only when it is well formed. */
FrameVerdict ParseFrame(const uint8_t* frame, size_t length, FrameView* out);

/** A frame to send: Ethernet header, EAPOL header, body. Ethernet pads short frames itself. */
std::vector<uint8_t> BuildFrame(const MacAddress& destination, const MacAddress& source, uint8_t version,
                                uint8_t type, const uint8_t* body, size_t bodyLength);

/** The largest body BuildFrame takes: the EAPOL length field is 16 bits. */
constexpr size_t kMaxBodyLength = 0xFFFF;

}  // namespace eaphost::eapol
