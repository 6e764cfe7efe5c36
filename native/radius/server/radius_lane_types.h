// What the lane and its handlers (radius_lane_context.h) trade in: the settings a lane is begun
// with, its counters, the datagrams it sends, and what it hands JS and JS hands back.
#pragma once

#include <atomic>
#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../../hosts/authenticator_host.h"
#include "../../hosts/known_answer.h"
#include "../wire/radius_base.h"
#include "../wire/radius_exchange.h"
#include "../wire/radius_packet.h"
#include "radius_lane_verdicts.h"  // before kEapFailure below, which its enum would shadow

namespace eaphost::radius {

// EAP codes and the Identity type the lane reads in EAP-Message (RFC 3748 §4, §5.1).
constexpr uint8_t kEapIdentity = 1;
constexpr uint8_t kEapResponse = 2;
constexpr uint8_t kEapSuccess = 3;
constexpr uint8_t kEapFailure = 4;

struct Policy;         // radius_policy.h
struct PolicyRequest;  // radius_policy.h

// serve --proxy-realm (radius_handler_proxy.cc): a User-Name realm's home server, or the realm served
// here. The engine opens the client engine the home servers are reached through and names each
// route's server there (`target`).
struct ProxyRoute {
  std::string realm;  // lower case; "*": any realm no other route names
  bool local = false;
  Source server;    // its address and port (UDP: where requests go; RadSec: named in messages)
  std::string url;  // as given, for Reply-Messages and the log
  std::shared_ptr<const SharedSecret> secret;  // UDP's (a RadSec link's is its target's)
  uint32_t target = 0;
  // Over UDP, where its Accounting-Requests go: the next port (1812's 1813, RFC 2866 §1.2's pair,
  // as FreeRADIUS's auth+acct home servers take it). RadSec carries both on one connection.
  uint32_t acctTarget = 0;
  // 0: RADIUS/UDP through the engine's own client engine; 1: RadSec over TLS, 2: over DTLS, each
  // through a connection JS holds (RadiusEngine::ProxyStreams, RadiusEngine::ProxyHome).
  uint8_t transport = 0;
  // A reply without Message-Authenticator (RFC 3579 §3.2) is refused unless this says so: PAP's
  // may lack one, and BlastRADIUS (CVE-2024-3596) forges exactly those.
  bool allowUnsignedReplies = false;
  size_t home = 0;  // the lane's index of its server (routes to one server share it)
  // Routes naming the same realm are its pool, the first preferred: new requests go to the first
  // alive home (failover), or (`balance`, as the pool's first route says) to the alive one with
  // the fewest requests out.
  bool balance = false;
  // A home found by RFC 7585 discovery (RadSec over TLS or DTLS): its realm, address, URL and
  // transport are what JS's discovery last bound to it (RadiusEngine::ProxyDiscovered), none at
  // first. A realm's discovered homes are one pool.
  bool discovery = false;
};

// What JS's discovery found for a realm the lane asked about (ForJs::proxyDiscovers): its homes,
// each bound to a discovery route, in the order RFC 7585 §3.4 tries them (the realm's pool), or
// why there is none (`error`, "reason: detail").
struct DiscoveredHome {
  struct Home {
    uint32_t route = 0;
    Source server;
    std::string url;
    uint8_t transport = 1;  // 1: RadSec over TLS, 2: over DTLS
  };
  std::string realm;
  std::vector<Home> homes;
  uint64_t expiresInMs = 0;
  std::string error;
};

struct LaneSettings {
  AuthenticatorConfig conversation;  // what every conversation is begun with
  KnownAnswerTable users;
  // The store is JS's: every question goes there (StoreQuestion). JS bounds the wait (the
  // authenticator's lookupTimeoutMs, askUserStore in lib/core/users.ts) and answers a store that
  // fails or stays silent with a failure; the idle sweep is the lane's own backstop.
  bool askStore = false;
  std::shared_ptr<const SharedSecret> secret;  // when `clients` is empty
  // RADIUS/DTLS associations' secret (links ReplyPaths has as kDtls) when `secret` is only RadSec
  // over TLS's default: the RadSec revision's defaults differ by transport ("radius/dtls").
  std::shared_ptr<const SharedSecret> dtlsSecret;
  std::vector<ClientNetwork> clients;
  bool restrictClients = false;        // allowedClients was given
  std::vector<ClientNetwork> allowed;  // each allowed client, its whole address (no secret)
  uint64_t idleTimeoutMs = 60000;
  uint64_t replyCacheMs = 30000;
  size_t maxConversations = 20000;
  size_t maxTlsConversations = 2048;
  bool requireMessageAuthenticator = true;
  std::bitset<256> tlsTypes;  // EAP types counted under maxTlsConversations
  bool records = false;       // keep a ConversationRecord per verdict
  // What an Access-Accept carries (radius_policy.h): the file's rules and MAB allow-list, decided
  // here; or, with askAuthorize, JS's authorize() asked for each verdict (AuthorizeQuestion).
  // Without either, EAP's Accepts are as before and PAP is answered from the user store alone.
  std::shared_ptr<const Policy> policy;
  bool askAuthorize = false;
  // PAP (User-Password) is answered: asked for (serve --pap, a policy rule naming pap); without it a
  // PAP request is refused unchecked.
  bool pap = false;
  // Threads for TLS-based conversations' steps (radius_step_pool.h); 0 runs every step on the
  // lane thread. A lane with step threads needs its runner to call OnStepsDone when woken.
  size_t stepThreads = 0;
  // TLS-based types whose steps bringing the tunnel's records alone run on the lane thread
  // (wire/eap_tls_records.h): their authenticator signs nothing and checks no certificate once its
  // handshake is done; and whose handshake steps the lane keeps while it has room (keepStepsBelow):
  // EAP-TLS, which has no tunnel, is listed for those when it waits on no OCSP responder. Every
  // other TLS step is handed to a step thread.
  std::bitset<256> laneStepTypes;
  // While the lane thread has room, percent of one core, it runs the lane step types' handshake
  // steps itself (radius_lane_headroom.h); 0 hands every one to a step thread.
  uint32_t keepStepsBelow = 0;
  // Accounting-Requests (RFC 2866) are answered: each one checked goes to JS (ForJs::accounting),
  // and its Accounting-Response goes out only once JS says it is recorded (OnAccounted).
  bool accounting = false;
  // Realms forwarded to home servers; empty: every request is answered here. A request whose realm
  // no route names (and no "*") is refused with a Reply-Message; one without a realm stays here.
  std::vector<ProxyRoute> proxyRoutes;
  // Nothing is answered here (a serve without users): an Access-Request no route sends to a home
  // server (no realm, or a local one) gets an Access-Reject saying so (ProxyHandler::Receive).
  bool proxyOnly = false;
  // A home server's time to answer, over all its tries (the client engine spaces them evenly).
  uint32_t proxyTries = 3;
  uint32_t proxyTimeoutMs = 4500;
};

// A request for a home server, for the client engine of its address family, or a RadSec home's
// (`stream`: the home's first route's index + 1; RadiusEngine::ProxyStreams).
struct ProxyForward {
  int family = 4;
  uint32_t stream = 0;
  ClientRequest request;
};

// RadiusServerStats, counted on the lane thread, read from any.
struct LaneCounters {
  std::atomic<uint64_t> requests{0}, challenges{0}, accepts{0}, rejects{0}, duplicates{0}, droppedMalformed{0},
      droppedUnauthenticated{0}, droppedNoMessageAuthenticator{0}, droppedUnexpected{0}, conversationsExpired{0},
      conversationErrors{0}, conversationsEvicted{0}, ocspStapleFailures{0}, papSlowed{0}, accountingRequests{0},
      accountingResponses{0}, accountingUnrecorded{0}, droppedBadAuthenticator{0}, proxyLoops{0}, proxyBusy{0},
      proxyRepliesUnsigned{0}, proxyRepliesTooLarge{0}, proxyRepliesUnverified{0}, proxyFailovers{0},
      proxyHomesZombie{0}, proxyHomesDead{0}, proxyHomesRevived{0}, proxyDiscoveryRefused{0},
      proxyAccountingForwarded{0}, proxyAccountingAcknowledged{0}, proxyAccountingUnanswered{0}, active{0},
      activeTls{0}, stepsQueued{0}, stepThreadsLent{0}, stepsHandedOver{0}, stepsKept{0}, heapReturns{0};
};

struct OutgoingDatagram {
  Bytes bytes;
  Source destination;
};
using Outbox = std::vector<OutgoingDatagram>;

// One conversation that ended with a verdict, for the server's log (never credentials).
struct ConversationRecord {
  std::string client;
  Bytes identity;  // the first Access-Request's User-Name
  // What names the session at its NAS (RFC 5176 §3), as the first Access-Request carried it:
  // NAS-IP-Address, Calling-Station-Id, NAS-Identifier, Acct-Session-Id, NAS-IPv6-Address.
  std::vector<std::pair<uint8_t, Bytes>> nasAttributes;
  uint32_t eapType = 1;  // or kMethodPap / kMethodMab (radius_policy.h)
  bool accept = false;
  uint32_t roundTrips = 0;
  uint64_t durationMs = 0;
  int resumed = -1;  // -1: the method did not say
  // On reject: the method's error (hasError), an authenticator that failed (stepFailed: its
  // error), or neither ("EAP-Failure").
  bool hasError = false;
  bool stepFailed = false;
  EapErrorInfo error;
  std::string home;   // a proxied verdict's home server (its URL); empty: answered here
  uint32_t link = 0;  // the RadSec connection (Source::link) the first Access-Request came on; 0: UDP
};

// A question for the user store JS holds: the method asked (RESPOND) about `identity`.
struct StoreQuestion {
  uint32_t id = 0;
  std::string identity;  // UTF-8, as the store is asked (AskedIdentity)
};

// The store's answer, as the record's known answer (answered by the rules a plain table's are;
// its secrets wiped with it), or its failure (it threw, rejected or did not answer in time, in
// words for the record): that authentication fails, nothing else.
struct StoreAnswer {
  uint32_t question = 0;
  std::shared_ptr<const KnownAnswer> known;
  bool failed = false;
  std::string failure;
};

// An authentication that succeeded, for JS's authorize(): what the request offers to match on.
struct AuthorizeQuestion {
  uint32_t id = 0;
  std::string client;
  std::shared_ptr<const PolicyRequest> request;
};

// authorize()'s word: reject, or accept with these attributes (encoded by EncodeReply); a
// failure (it threw, its promise rejected, it did not answer in time) rejects.
struct AuthorizeAnswer {
  uint32_t question = 0;
  bool failed = false;
  bool reject = false;
  std::string failure;
  EncodedAttributes attributes;
};

// An Accounting-Request whose Request Authenticator is right, for JS to record: its attributes
// as they came (Proxy-State and Message-Authenticator left out).
struct AccountingRequest {
  uint32_t id = 0;
  std::string client;
  // Its realm when a route sends that realm to a home server: JS spools it (RadiusEngine::Spool).
  std::string realm;
  // With a realm: the URL of the home its realm's pool picks now; the spool sends it there.
  std::string home;
  std::vector<std::pair<uint8_t, Bytes>> attributes;
};

// JS's word on one: recorded (the Accounting-Response goes out) or not (nothing goes out, and the
// NAS's retransmission is taken as a new request).
struct AccountingAnswer {
  uint32_t id = 0;
  bool recorded = false;
};

// What the lane has for JS, taken at once on JS's thread.
struct ForJs {
  std::vector<ConversationRecord> records;
  std::vector<StoreQuestion> questions;
  std::vector<AuthorizeQuestion> authorizations;
  std::vector<OutgoingDatagram> replies;  // to RadSec connections (Source::link)
  std::vector<uint32_t> broken;           // RadSec connections whose framing broke
  std::vector<AccountingRequest> accounting;
  // Routes (by index) whose RadSec home needs a connection: JS opens it and says how it went
  // (RadiusEngine::ProxyHome).
  std::vector<uint32_t> proxyConnects;
  // Realms no route names whose home JS's discovery finds (RadiusEngine::ProxyDiscovered).
  std::vector<std::string> proxyDiscovers;
  // Disconnect- and CoA-ACKs and NAKs RadSec connections brought: the answers to the requests JS
  // sent down them (reverse CoA), JS's client engine's to match and check.
  std::vector<OutgoingDatagram> answers;
  // Spooled Accounting-Requests (RadiusEngine::Spool, by JS's id) their home acknowledged, or not.
  std::vector<uint32_t> spoolAcknowledged;
  std::vector<uint32_t> spoolUnanswered;
};

}  // namespace eaphost::radius
