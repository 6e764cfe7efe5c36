// libFuzzer target: what the RADIUS stack reads of every datagram before anything else
// (native/radius/wire/radius_packet.cc, radius_request.cc): the packet read in place, its
// Message-Authenticator checked, its EAP-Message attributes joined, and a reply written for it;
// and, as the client engine reads a reply, its Response Authenticator and Message-Authenticator
// checked and its MPPE keys revealed. A packet it accepts must hold what it claims: every
// attribute inside Length and nothing between them, a whole EAP packet from the join; a reply it
// signs stays within RADIUS's 4096 bytes and says its own length; a revealed key fits its value.
// The same bytes as a RadSec stream (radius_stream.h) must come out as the packets at its front.
// The same bytes as an EAP-Response of a TLS-based type, as the EAP handler weighs a step
// (wire/eap_tls_records.h): read within them, and never the tunnel's alone with More or Start set.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "../native/radius/wire/radius_packet.h"
#include "../native/radius/wire/eap_tls_records.h"
#include "../native/radius/wire/radius_stream.h"

namespace {

// The input as a stream read in pieces of 1 to 64 bytes (byte 0 says how long), a few packets
// answered a turn (byte 1): the packets cut are the input's front, back to back, each as long as
// its Length field says; the stream breaks when, and only when, a Length out of 20..4096 is next.
void FrameAsStream(const std::uint8_t* data, std::size_t size) {
  using namespace eaphost::radius;
  if (size < 2) return;
  const std::size_t piece = 1 + data[0] % 64;
  const std::size_t most = 1 + data[1] % 4;
  std::size_t framed = 0;
  auto packet = [&](const std::uint8_t* bytes, std::size_t length) {
    if (framed + length > size || std::memcmp(bytes, data + framed, length) != 0) std::abort();
    framed += length;
  };
  StreamFramer framer;
  bool broke = false;
  for (std::size_t at = 0; at < size && !broke; at += piece) {
    StreamCut cut = framer.Feed(7, data + at, std::min(piece, size - at), most, packet);
    while (cut.backlog) cut = framer.Feed(7, data, 0, most, packet);
    broke = cut.broke;
  }
  std::size_t whole = 0;
  bool bad = false;
  while (size - whole >= 4) {
    std::size_t length = (static_cast<std::size_t>(data[whole + 2]) << 8) | data[whole + 3];
    bad = length < kHeaderLength || length > kMaxPacketLength;
    if (bad || size - whole < length) break;
    whole += length;
  }
  if (framed != whole || broke != bad) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace eaphost::radius;
  FrameAsStream(data, size);
  if (TunnelRecordsOnly(data, size, false) && (data[5] & (eaphost::tls::kFlagMore | eaphost::tls::kFlagStart)) != 0) {
    std::abort();
  }
  if (TunnelRecordsOnly(data, size, true)) std::abort();  // the last fragment of a message: never
  static const SharedSecret secret(Bytes{'f', 'u', 'z', 'z'});
  RequestView request;
  if (!ReadRequest(data, size, &request)) return 0;
  if (request.length < kHeaderLength || request.length > size) std::abort();
  std::size_t end = kHeaderLength;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.offset != end + 2 || attribute.offset + attribute.length > request.length) std::abort();
    end = attribute.offset + attribute.length;
  }
  if (end != request.length) std::abort();
  MessageAuthenticatorValid(request, secret);
  Bytes eap;
  if (JoinEapMessage(request, &eap) == EapMessage::kWhole &&
      (eap.size() < 4 || ((static_cast<std::size_t>(eap[2]) << 8) | eap[3]) != eap.size())) {
    std::abort();
  }
  ReplyWriter writer(kAccessChallenge, request.identifier, request.authenticator());
  writer.AddEapMessage(eap);
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kProxyState) writer.Add(kProxyState, request.value(attribute), attribute.length);
  }
  Bytes reply = writer.Sign(secret);
  if (!reply.empty() && (reply.size() > kMaxPacketLength || ((static_cast<std::size_t>(reply[2]) << 8) | reply[3]) != reply.size())) {
    std::abort();
  }
  // The same bytes as a reply to a request the client engine sent.
  static const std::uint8_t requestAuthenticator[kAuthenticatorLength] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  CheckReply(request, requestAuthenticator, secret, true);
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type != kVendorSpecific || !IsMppeKey(request.value(attribute), attribute.length)) continue;
    Bytes clear;
    if (RevealMppeKey(request.value(attribute), attribute.length, secret, requestAuthenticator, &clear) &&
        clear.size() > attribute.length) {
      std::abort();
    }
  }
  return 0;
}
