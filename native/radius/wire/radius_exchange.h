// What the RADIUS client engine (radius_client.h) takes and gives, for every role that sends
// requests through it: a request as attributes, its outcome once answered or given up, and the
// engine as another role sees it (an ExchangeSender, opened by OpenExchangeSender in the client's
// own file), so a role that forwards (the lane proxying a realm to its home server) uses the one
// client engine without including the client's header.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "radius_base.h"
#include "radius_packet.h"

namespace eaphost::radius {

struct ClientAttribute {
  uint8_t type = 0;
  Bytes value;
};

// One request as JS hands it over. Sizes are checked before it is taken (ClientRequestFits).
struct ClientRequest {
  uint32_t id = 0;      // JS's name for it, in its outcome
  uint32_t target = 0;  // RadiusClientEngine::AddTarget's
  uint8_t code = kAccessRequest;
  std::vector<ClientAttribute> attributes;  // after the Message-Authenticator, in order
  Bytes eapMessage;                         // split over EAP-Message attributes, after them
  bool hasUserPassword = false;
  Bytes userPassword;  // hidden on the wire (RFC 2865 §5.2); wiped once written
  bool messageAuthenticator = true;
  bool requireMessageAuthenticator = true;
  // When the first try goes unanswered: one Access-Request with User-Name alone, no
  // Message-Authenticator for a server to drop silently; its Response Authenticator then tells a
  // wrong secret from a silent server.
  bool secretProbe = false;
  Bytes probeUserName;
  std::bitset<256> answerCodes;
  uint32_t tries = 3;
  uint32_t timeoutMs = 6000;
  ClientRequest() = default;
  ClientRequest(ClientRequest&&) = default;
  ClientRequest& operator=(ClientRequest&&) = default;
  ~ClientRequest();
};

// False (with why) when the request cannot be one RADIUS packet.
bool ClientRequestFits(const ClientRequest& request, const char** why);

enum class OutcomeKind : uint8_t { kReply = 0, kTimeout = 1, kSecretMismatch = 2 };

struct ClientOutcome {
  uint32_t id = 0;
  OutcomeKind kind = OutcomeKind::kTimeout;
  // kReply: the verified reply, its attributes in order, MPPE keys revealed (clear layout).
  uint8_t code = 0;
  uint8_t identifier = 0;
  std::array<uint8_t, kAuthenticatorLength> authenticator{};
  std::vector<ClientAttribute> attributes;
  std::vector<Bytes> keys;
  // Its Tunnel-Passwords revealed (RFC 2868 §3.5), in order: the Tag, then the password.
  std::vector<Bytes> tunnelPasswords;
  // Its EAP-Message attributes joined (RFC 3579 §3.1), or why they make no EAP packet.
  bool hasEap = false;
  Bytes eap;
  const char* eapMalformed = nullptr;
  uint32_t sent = 0;
  double elapsedMs = 0;  // from the first try
  // Replies to this request dropped, by why, and datagrams from its server that were not RADIUS.
  uint32_t unauthenticated = 0;
  uint32_t messageAuthenticatorInvalid = 0;
  uint32_t messageAuthenticatorMissing = 0;
  uint32_t malformed = 0;
  uint32_t stray = 0;
  // Replies that verified as this request's answer but came under another request's Identifier
  // (the server's Identifiers are off, the shared secret right).
  uint32_t misaddressed = 0;
  ClientOutcome() = default;
  ClientOutcome(ClientOutcome&&) = default;
  ClientOutcome& operator=(ClientOutcome&&) = default;
  ~ClientOutcome();
};

// The client engine as another role sees it: servers with their secrets, requests in, outcomes
// out. `notify` (OpenExchangeSender's) is called on the client engine's thread when outcomes wait.
class ExchangeSender {
 public:
  virtual ~ExchangeSender() = default;
  virtual uint32_t AddTarget(const Source& server, std::shared_ptr<const SharedSecret> secret) = 0;
  virtual void Submit(ClientRequest&& request) = 0;
  virtual void Flush() = 0;
  virtual std::vector<ClientOutcome> TakeOutcomes() = 0;
  // Stops its thread; requests still out get no outcome. Idempotent.
  virtual void Close() = 0;
};

// A client engine on a UDP socket of `family` (4 or 6) bound to any address and a free port;
// null with *error when the socket cannot be made.
std::unique_ptr<ExchangeSender> OpenExchangeSender(int family, std::function<void()> notify, LaneError* error);

// The bit of a request's id that marks it another role's on an engine JS also sends through
// (ShareExchangeSender): JS's ids stay below it.
constexpr uint32_t kForwardedId = 0x80000000u;

class RadiusClientEngine;
// JS's client engine (its streams: RadSec connections JS holds) as another role sees it: that
// role's requests go out on JS's links, under ids with kForwardedId set, and their outcomes come
// back to it (`notify`), never to JS. AddTarget is JS's (a stream's target names its link);
// Close detaches the role, and the engine stays JS's to close.
std::unique_ptr<ExchangeSender> ShareExchangeSender(std::shared_ptr<RadiusClientEngine> engine,
                                                    std::function<void()> notify);

}  // namespace eaphost::radius
