// The words every RADIUS role shares (the lane, the DAS, the client, the policy, the codec and the
// socket): where a datagram came from, a NAS client's network, reply attributes encoded, and the
// error a socket or a role's set-up fails with. It includes no role, as hostap's
// src/radius/radius.h includes none: each role includes it, never another role's header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "radius_packet.h"

namespace eaphost::radius {

// Reply attributes encoded (radius_policy.h's EncodeReply), each its type and value.
using EncodedAttributes = std::vector<std::pair<uint8_t, Bytes>>;

// A datagram's source: address bytes (4 or 16), port, and its canonical text (the client's name
// in keys and records); `link` names a RadSec connection JS holds (0: the UDP socket).
struct Source {
  int family = 4;
  uint8_t address[16] = {};
  uint16_t port = 0;
  std::string text;
  uint32_t link = 0;
  bool radius11 = false;  // a RadSec link that negotiated RADIUS/1.1 (RFC 9765)
};

// A NAS client by address or network, with its secret (the first entry containing the source
// decides, as clients.conf does).
struct ClientNetwork {
  int family = 4;
  uint8_t address[16] = {};
  unsigned prefix = 32;
  std::shared_ptr<const SharedSecret> secret;
};

// Whether `source` is in `network` (its family, its first `prefix` bits).
bool InNetwork(const ClientNetwork& network, const Source& source);

// A literal IPv4 or IPv6 address into `out`: its family, its bytes and its canonical text (the
// OS's parser, radius_sockaddr.cc).
bool ParseAddress(const std::string& text, Source* out);

struct LaneError {
  std::string code;  // EINVAL, or the system error's name when known; else JS names errnum
  std::string message;
  int errnum = 0;
};

}  // namespace eaphost::radius
