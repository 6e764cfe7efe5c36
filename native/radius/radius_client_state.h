// The client engine's own state (radius_client.h), shared by its files: what the thread keeps
// of each request, server and load run. Nothing outside native/radius/radius_client*.cc includes it.
#pragma once

#include "radius_client.h"

namespace eaphost::radius {

struct RadiusClientEngine::Target {
  Source server;
  std::shared_ptr<const SharedSecret> secret;
};

struct RadiusClientEngine::Outstanding {
  ClientRequest request;
  const Target* target = nullptr;
  Destination* destination = nullptr;
  uint8_t identifier = 0;
  bool probe = false;
  bool load = false;        // a load run's (LoadRun), id 0, counted there
  uint64_t launchedUs = 0;  // a load request's latency runs from here, Identifier wait included
  uint32_t parent = 0;  // a probe's request
  Bytes datagram;
  uint8_t requestAuthenticator[kAuthenticatorLength] = {};
  uint64_t startedUs = 0;
  uint64_t dueUs = 0;
  uint32_t intervalUs = 0;
  bool probeSent = false;
  uint64_t strayAtStart = 0;  // its destination's `strays` when it took its Identifier
  ClientOutcome tally;        // the counts so far
};

// One server's 256 Identifiers (RFC 2865 §3: a reply is matched by Identifier and source),
// handed out round-robin so a late reply to a finished request most likely finds its Identifier
// unused rather than reused.
struct RadiusClientEngine::Destination {
  Source server;
  std::array<std::unique_ptr<Outstanding>, 256> slots;
  size_t used = 0;
  uint8_t next = 0;
  std::deque<std::unique_ptr<Outstanding>> waiting;
  // Replies from this server that answered no request (nothing under their Identifier, a code
  // the request there does not take, or from another port of its address): each request's
  // `stray` is how many came while it was out. Counted, never verified: an MD5 per outstanding
  // request for each of them was the price of naming which request one answered.
  uint64_t strays = 0;
};

struct RadiusClientEngine::LoadRun {
  ClientLoad plan;
  const Target* target = nullptr;
  uint64_t startUs = 0;
  uint64_t launched = 0;
  uint32_t inFlight = 0;
  bool stopping = false;
};

}  // namespace eaphost::radius
