// The RADIUS engine's logic: the whole of a RADIUS server's work on a datagram (RFC 3579 server
// side) in one place on one thread — client and secret, decode, Message-Authenticator, the reply
// cache, the conversation found again by State, the embedded authenticator's step, the reply
// signed — with no turn of the event loop per packet. The user store's answers come from a plain
// table (known_answer.h) in the same step, or, for a store JS holds (a function, a lookup that
// returns a promise), from JS: the conversation waits for the answer (a StoreQuestion out, a
// StoreAnswer back) while the lane goes on with the others.
//
// This part has no socket and no clock of its own: a datagram and the time go in, replies come
// out (Outbox). radius_engine.h runs it on a thread over a socket (radius_socket.h).
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../../hosts/authenticator_host.h"
#include "../../hosts/known_answer.h"
#include "../wire/radius_base.h"
#include "radius_lane_clients.h"
#include "radius_lane_verdicts.h"
#include "radius_conversation_table.h"
#include "../wire/radius_exchange.h"
#include "radius_failure_throttle.h"
#include "../wire/radius_packet.h"
#include "radius_reply_paths.h"
#include "../wire/radius_reply_cache.h"
#include "radius_step_pool.h"

namespace eaphost::radius {

// EAP codes and the Identity type the lane reads in EAP-Message (RFC 3748 §4, §5.1).
constexpr uint8_t kEapIdentity = 1;
constexpr uint8_t kEapResponse = 2;
constexpr uint8_t kEapSuccess = 3;
constexpr uint8_t kEapFailure = 4;

struct Policy;         // radius_policy.h
struct PolicyRequest;  // radius_policy.h

// serve --proxy-realm (radius_lane_proxy.cc): a User-Name realm's home server, or the realm served
// here. The engine opens the client engine the home servers are reached through and names each
// route's server there (`target`).
struct ProxyRoute {
  std::string realm;  // lower case; "*": any realm no other route names
  bool local = false;
  Source server;    // UDP
  std::string url;  // as given, for Reply-Messages and the log
  std::shared_ptr<const SharedSecret> secret;
  uint32_t target = 0;
  // A reply without Message-Authenticator (RFC 3579 §3.2) is refused unless this says so: PAP's
  // may lack one, and BlastRADIUS (CVE-2024-3596) forges exactly those.
  bool allowUnsignedReplies = false;
  size_t home = 0;  // the lane's index of its server (routes to one server share it)
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
  // Accounting-Requests (RFC 2866) are answered: each one checked goes to JS (ForJs::accounting),
  // and its Accounting-Response goes out only once JS says it is recorded (OnAccounted).
  bool accounting = false;
  // Realms forwarded to home servers; empty: every request is answered here. A request whose realm
  // no route names (and no "*") is refused with a Reply-Message; one without a realm stays here.
  std::vector<ProxyRoute> proxyRoutes;
  // A home server's time to answer, over all its tries (the client engine spaces them evenly).
  uint32_t proxyTries = 3;
  uint32_t proxyTimeoutMs = 4500;
};

// A request for a home server, for the client engine of its address family.
struct ProxyForward {
  int family = 4;
  ClientRequest request;
};

// RadiusServerStats, counted on the lane thread, read from any.
struct LaneCounters {
  std::atomic<uint64_t> requests{0}, challenges{0}, accepts{0}, rejects{0}, duplicates{0}, droppedMalformed{0},
      droppedUnauthenticated{0}, droppedNoMessageAuthenticator{0}, droppedUnexpected{0}, conversationsExpired{0},
      conversationErrors{0}, conversationsEvicted{0}, ocspStapleFailures{0}, papSlowed{0}, accountingRequests{0}, accountingResponses{0},
      accountingUnrecorded{0}, droppedBadAuthenticator{0}, proxyLoops{0}, proxyBusy{0}, proxyRepliesUnsigned{0},
      proxyRepliesTooLarge{0}, active{0}, activeTls{0}, stepsQueued{0}, stepThreadsLent{0};
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
};

class RadiusLane {
 public:
  // `paths` (the engine's, which outlives the lane) says which transport each link is, and so
  // which secret signs its replies.
  RadiusLane(LaneSettings settings, const ReplyPaths& paths);
  ~RadiusLane();

  void OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, Outbox* out);
  // The store's answer to a question: the conversation goes on (a question it no longer waits
  // for, closed or expired meanwhile, is dropped).
  void OnAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out);
  // authorize()'s answer: the verdict it waited for goes out (one no longer waited for is dropped).
  void OnAuthorized(AuthorizeAnswer& answer, uint64_t nowMs, Outbox* out);
  // JS recorded an Accounting-Request, or could not (radius_lane_accounting.cc).
  void OnAccounted(const AccountingAnswer& answer, uint64_t nowMs, Outbox* out);
  // Retransmissions and store answers due, the idle sweep; returns when it wants to be called next.
  uint64_t OnClock(uint64_t nowMs, Outbox* out);
  // Ends every conversation (the server closes), once the step threads have stopped.
  void EndAll();
  // Starts the step threads (settings' stepThreads); `wake` is called on one of them whenever a
  // step is done, and the lane's thread then calls OnStepsDone.
  void StartStepThreads(std::function<void()> wake);
  // Concludes every step the step threads have done: each reply goes out as if its request had
  // been answered on the lane thread.
  void OnStepsDone(uint64_t nowMs, Outbox* out);

  // Requests forwarded since the last call, for the engine's client engine (under the lane's lock).
  std::vector<ProxyForward> TakeForwards();
  // A home server's answer, or why there is none: the NAS gets its reply (radius_lane_proxy.cc).
  void OnProxied(ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  // The routes, for the engine to name their servers in its client engine before the loop starts.
  std::vector<ProxyRoute>& proxyRoutes() { return settings_.proxyRoutes; }

  LaneCounters& counters() { return counters_; }
  // Each client's requests, replies and Message-Authenticator posture (radius_lane_clients.h).
  const ClientTally& clients() const { return tally_; }
  // Each verdict's outcome, reason and time, counted (radius_lane_verdicts.h).
  const VerdictTally& verdicts() const { return verdicts_; }
  // A request being answered, and a verdict waiting for the policy's word (radius_lane_decision.h).
  struct Pending;
  struct Decision;
  struct Proxied;
  // A reply to a RadSec connection: JS's to write.
  void PassToJs(OutgoingDatagram datagram);
  // A RadSec connection whose framing broke, counted as a malformed packet: JS's to close.
  void LinkBroken(uint32_t link);
  bool HasForJs();
  ForJs TakeForJs();

 private:
  struct Conversation;
  struct StepJob;
  const SharedSecret* SecretFor(const Source& source) const;
  // A retransmission of a request answered (its reply sent again) or being answered (dropped),
  // counted as a duplicate: true when it was one.
  bool Retransmitted(const ReplyKey& cacheKey, const uint8_t* authenticator, const Source& source, uint64_t nowMs,
                     Outbox* out);
  bool Allowed(const Source& source) const;
  bool Answer(Conversation* conversation, AuthenticatorStep* step, EapErrorInfo* error) const;
  void Ask(Conversation* conversation, AuthenticatorStep& step, std::unique_ptr<Pending> pending);
  void FailQuestion(Conversation* conversation, const std::string& why, uint64_t nowMs, Outbox* out);
  static bool Unserved(uint8_t code);
  void ProtocolError(const RequestView& request, const Source& source, const SharedSecret& secret, Outbox* out);
  void Process(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               uint64_t nowMs, Outbox* out);
  void Conclude(Conversation* conversation, bool stepped, AuthenticatorStep& step, EapErrorInfo& error,
                std::unique_ptr<Pending> pending, uint64_t nowMs, Outbox* out);
  void Verdict(Conversation* conversation, const AuthenticatorStep* step, bool stepFailed, const EapErrorInfo& error,
               const Pending& pending, uint64_t nowMs, Outbox* out);
  // A request without EAP: PAP (User-Password) or MAB, answered by the user store or the
  // allow-list, then by the policy (radius_lane_plain.cc).
  void Plain(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
             uint64_t nowMs, Outbox* out);
  bool PlainAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out);
  // Whether PAP may check a password for this user from this NAS now; if not, `why` says so.
  bool PapMayCheck(const Decision& decision, uint64_t nowMs, std::string* why);
  // A PAP password was wrong (`failed`) or right: counted against its user and NAS.
  void PapChecked(const Decision& decision, bool failed, uint64_t nowMs);
  // An Accounting-Request: checked, then handed to JS until it says it is recorded.
  void Accounting(const RequestView& request, const Source& source, const SharedSecret& secret,
                  const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out);
  // Requests JS has not answered within the reply cache's lifetime are forgotten: the NAS's next
  // try is a new request.
  void SweepAccounting(uint64_t nowMs);
  // A verdict that succeeded, decided by the policy or asked of authorize(), then sent.
  void Decide(std::unique_ptr<Decision> decision, uint64_t nowMs, Outbox* out);
  void SendDecision(Decision& decision, bool accept, const EncodedAttributes* reply, VerdictReason why,
                    const std::string& reason, uint64_t nowMs, Outbox* out);
  void SweepDecisions(uint64_t nowMs, Outbox* out);
  void RejectWithoutConversation(const RequestView& request, const Source& source, const SharedSecret& secret,
                                 const ReplyKey& cacheKey, int eapId, uint64_t nowMs, Outbox* out);
  void Reply(const Pending& pending, Bytes reply, uint64_t nowMs, Outbox* out, ConversationRecord* record = nullptr);
  void Close(Conversation* conversation);
  void Finish(Conversation* conversation);
  void CloseEvicted(std::vector<Conversation*>& evicted);
  void Sweep(uint64_t nowMs, Outbox* out);
  // An Access-Request whose realm a route names: forwarded, or refused (no route); false when it
  // is answered here (radius_lane_proxy.cc).
  bool Proxy(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
             uint64_t nowMs, Outbox* out);
  void ProxyReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out);
  // A home server's window and queue (radius_lane_proxy.cc): its requests out to the client
  // engine, at most one Identifier space, and those waiting for room, each by its deadline.
  struct ProxyHome;
  void IndexHomes();
  void Dispatch(Proxied& proxied, ProxyHome& home, uint64_t nowMs);
  // A home server's queue moved on: room taken by the next, or the deadline passed (a Reject).
  void Drain(ProxyHome& home, uint64_t nowMs, Outbox* out);
  uint64_t ProxyClock(uint64_t nowMs, Outbox* out);
  bool ProxyRefused(Proxied& proxied, ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  void CountActive();
  // The step pool's queue and lent threads, as of this turn of the lane.
  void CountSteps();

  LaneSettings settings_;
  const ReplyPaths& paths_;
  LaneCounters counters_;
  ReplyCache cache_;
  ConversationTable<Conversation> table_;
  std::unordered_map<Conversation*, std::unique_ptr<Conversation>> owned_;
  std::unordered_set<Conversation*> waiting_;  // busy until their retransmission (OnClock)
  uint64_t nextSweepMs_ = 0;
  std::unique_ptr<StepPool<StepJob>> steps_;
  std::unordered_map<uint32_t, Conversation*> asked_;      // waiting for the store, by question
  uint32_t lastQuestion_ = 0;
  // Verdicts waiting for authorize(), and PAP requests waiting for the store, by question.
  std::unordered_map<uint32_t, std::unique_ptr<Decision>> deciding_;
  std::unordered_map<uint32_t, std::unique_ptr<Decision>> plainAsked_;
  // PAP's failed passwords, by User-Name and by NAS (the client's address): 5 free per user, then
  // one a second; 100 free per NAS, then 20 a second (radius_failure_throttle.h).
  FailureThrottle papUsers_{5, 1000, 65536};
  FailureThrottle papNases_{100, 50, 65536};
  // Accounting-Requests JS is recording, by id: when each was handed over, and what its reply needs.
  std::unordered_map<uint32_t, std::pair<uint64_t, std::unique_ptr<Pending>>> accountingAsked_;
  uint32_t lastAccounting_ = 0;
  // Requests out to home servers, by the id their ClientRequest carries.
  std::unordered_map<uint32_t, std::unique_ptr<Proxied>> proxied_;
  uint32_t lastProxied_ = 0;
  std::vector<ProxyForward> forwards_;
  std::vector<std::unique_ptr<ProxyHome>> homes_;
  size_t proxyQueued_ = 0;             // in every home's queue
  uint64_t proxyQueueDueMs_ = 0;       // no queue's first deadline is before this
  std::array<uint8_t, 8> instance_{};  // in our Proxy-State: a request back with it has looped
  ClientTally tally_;
  VerdictTally verdicts_;
  std::mutex forJsLock_;
  ForJs forJs_;
};

}  // namespace eaphost::radius
