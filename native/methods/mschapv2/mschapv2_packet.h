// The EAP-MSCHAPv2 Type-Data (draft-kamath-pppext-eap-mschapv2 §2): OpCode, MS-CHAPv2-ID,
// MS-Length, then the op's data; and the text messages of Success and Failure requests
// (RFC 2759 §5, §6).
#pragma once

#include <cstdint>
#include <string>

#include "../method.h"

namespace eaphost {
namespace mschapv2 {

enum OpCode : std::uint8_t {
  kOpChallenge = 1,
  kOpResponse = 2,
  kOpSuccess = 3,
  kOpFailure = 4,
  kOpChangePassword = 7,
};

constexpr std::size_t kHeaderSize = 4;  // OpCode, MS-CHAPv2-ID, MS-Length
// Challenge and Response carry Value-Size then the value: 16 bytes of challenge, or
// Peer-Challenge(16) Reserved(8) NT-Response(24) Flags(1).
constexpr std::size_t kResponseValueSize = 49;

struct MsChapPacket {
  std::uint8_t opCode = 0;
  std::uint8_t id = 0;
  ByteSpan data;  // after MS-Length (Success/Failure responses have none)
};

// False when the Type-Data is too short or MS-Length disagrees with it: a malformed packet,
// which both sides discard (RFC 3748 §4.1). A lone OpCode (Success/Failure response) is read
// with id 0 and no data.
bool ReadMsChapPacket(ByteSpan typeData, MsChapPacket* out);

// OpCode, id and MS-Length (of `dataSize` bytes to follow); the caller writes the data.
void WriteMsChapHeader(TypeDataWriter* out, OpCode op, std::uint8_t id, std::size_t dataSize);

// A Value-Size-prefixed value of exactly `size` bytes at the front of `data`; the rest is the
// Name.
bool ReadValue(ByteSpan data, std::size_t size, ByteSpan* value, ByteSpan* name);

// The fields of a Failure message "E=eeee R=r C=cccc V=vvvv M=<msg>" (RFC 2759 §6).
struct FailureMessage {
  std::uint32_t error = 0;  // E=
  bool retry = false;       // R=1
  std::string text;         // M=, for people; bounded and stripped of control characters
};
FailureMessage ParseFailureMessage(ByteSpan message);

// The 20 bytes of "S=<40 hex digits>" in a Success message; false when absent or malformed.
bool ParseAuthenticatorResponse(ByteSpan message, std::uint8_t out[20]);

// Upper-case hex, as RFC 2759 §8.7 writes the authenticator response.
std::string Hex(const std::uint8_t* bytes, std::size_t size);

}  // namespace mschapv2
}  // namespace eaphost
