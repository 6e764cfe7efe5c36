// Bounded reading and writing of the EAP packets a method sees (RFC 3748 §4): the header, the
// Type octet, and the Type-Data after it. Every length is checked against what the host says
// it handed us before a byte is read; octets past the header's Length are link padding
// (RFC 3748 §4) and are never looked at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../abi/eap_types.h"
#include "../../common/byte_span.h"

namespace eaphost {

constexpr std::size_t kEapHeaderSize = 4;       // Code, Identifier, Length
constexpr std::size_t kEapTypedHeaderSize = 5;  // ... and Type

struct MethodPacketView {
  eap::BYTE code = 0;
  eap::BYTE identifier = 0;
  eap::BYTE type = 0;
  std::size_t length = 0;  // the header's Length, already checked against the buffer
  ByteSpan typeData;       // the octets after Type, up to Length
};

// Reads a typed packet (Request or Response). `what` names the packet in the error text, e.g.
// "MD5-Challenge request". False, with `why` set, when the buffer cannot hold what its
// header claims.
bool ReadMethodPacket(const eap::EapPacket* packet, eap::DWORD received, const char* what,
                      MethodPacketView* out, std::string* why);

// The CHAP-style Type-Data of MD5-Challenge (RFC 1994 §4.1): Value-Size, Value, Name.
struct ValueSizeData {
  ByteSpan value;
  ByteSpan name;
};

bool ReadValueSizeData(ByteSpan typeData, const char* what, ValueSizeData* out, std::string* why);

// Writes Code, Identifier, Length (big-endian) and Type. `packet` must hold kEapTypedHeaderSize.
void WriteMethodHeader(eap::EapPacket* packet, eap::BYTE code, eap::BYTE identifier,
                       std::uint16_t length, eap::BYTE type);

// The first byte after Type, where Type-Data is written.
std::uint8_t* TypeDataOf(eap::EapPacket* packet);

}  // namespace eaphost
