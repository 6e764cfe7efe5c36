// The native RADIUS lane: the whole of `eaphost serve`'s work on a datagram (RFC 3579 server
// side) in one place on one thread — client and secret, decode, Message-Authenticator, the reply
// cache, the conversation found again by State, the embedded authenticator's step answered from
// the user table, the reply signed — with no turn of the event loop per packet. It serves what
// the native side can finish alone: UDP, the embedded authenticator, a plain table of users.
// JS hears of each finished conversation (the log's record) and reads the counters.
//
// This part is the lane's logic, with no socket and no clock of its own: a datagram and the
// time go in, replies come out (Outbox). radius_socket.h runs it on a thread over a socket.
#pragma once

#include <atomic>
#include <bitset>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../hosts/authenticator_host.h"
#include "../hosts/known_answer.h"
#include "radius_conversation_table.h"
#include "radius_packet.h"
#include "radius_reply_cache.h"
#include "radius_step_pool.h"

namespace eaphost::radius {

// A datagram's source: address bytes (4 or 16), port, and its canonical text (the client's name
// in keys and records).
struct Source {
  int family = 4;
  uint8_t address[16] = {};
  uint16_t port = 0;
  std::string text;
};

// A NAS client by address or network, with its secret (the first entry containing the source
// decides, as clients.conf does).
struct ClientNetwork {
  int family = 4;
  uint8_t address[16] = {};
  unsigned prefix = 32;
  std::shared_ptr<const SharedSecret> secret;
};

struct LaneSettings {
  AuthenticatorConfig conversation;  // what every conversation is begun with
  KnownAnswerTable users;
  std::shared_ptr<const SharedSecret> secret;  // when `clients` is empty
  std::vector<ClientNetwork> clients;
  bool restrictClients = false;                   // allowedClients was given
  std::vector<std::pair<int, Bytes>> allowed;     // (family, address) of each allowed client
  uint64_t idleTimeoutMs = 60000;
  uint64_t replyCacheMs = 30000;
  size_t maxConversations = 20000;
  size_t maxTlsConversations = 2048;
  bool requireMessageAuthenticator = true;
  std::bitset<256> tlsTypes;  // EAP types counted under maxTlsConversations
  bool records = false;       // keep a ConversationRecord per verdict
  // Threads for TLS-based conversations' steps (radius_step_pool.h); 0 runs every step on the
  // lane thread. A lane with step threads needs its runner to call OnStepsDone when woken.
  size_t stepThreads = 0;
};

// RadiusServerStats, counted on the lane thread, read from any.
struct LaneCounters {
  std::atomic<uint64_t> requests{0}, challenges{0}, accepts{0}, rejects{0}, duplicates{0}, droppedMalformed{0},
      droppedUnauthenticated{0}, droppedNoMessageAuthenticator{0}, droppedUnexpected{0}, conversationsExpired{0},
      conversationErrors{0}, conversationsEvicted{0}, active{0}, activeTls{0};
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
  uint8_t eapType = 1;
  bool accept = false;
  uint32_t roundTrips = 0;
  uint64_t durationMs = 0;
  int resumed = -1;  // -1: the method did not say
  // On reject: the method's error (hasError), an authenticator that failed (stepFailed: its
  // error), or neither ("EAP-Failure").
  bool hasError = false;
  bool stepFailed = false;
  EapErrorInfo error;
  // The verdict's reply, held until JS has the record: a log line is written before its Accept or
  // Reject goes out, as the JS lane does (a peer that reads the log when its verdict comes finds it).
  bool hasReply = false;
  OutgoingDatagram reply;
};


class RadiusLane {
 public:
  explicit RadiusLane(LaneSettings settings);
  ~RadiusLane();

  void OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, Outbox* out);
  // Retransmissions due and the idle sweep; returns when it wants to be called next.
  uint64_t OnClock(uint64_t nowMs, Outbox* out);
  // Ends every conversation (the server closes), once the step threads have stopped.
  void EndAll();
  // Starts the step threads (settings' stepThreads); `wake` is called on one of them whenever a
  // step is done, and the lane's thread then calls OnStepsDone.
  void StartStepThreads(std::function<void()> wake);
  // Concludes every step the step threads have done: each reply goes out as if its request had
  // been answered on the lane thread.
  void OnStepsDone(uint64_t nowMs, Outbox* out);

  LaneCounters& counters() { return counters_; }
  std::vector<ConversationRecord> TakeRecords();

 private:
  struct Conversation;
  struct Pending;
  struct StepJob;
  const SharedSecret* SecretFor(const Source& source) const;
  bool Allowed(const Source& source) const;
  void Process(const RequestView& request, const Source& source, const SharedSecret& secret, const std::string& cacheKey,
               uint64_t nowMs, Outbox* out);
  void Conclude(Conversation* conversation, bool stepped, AuthenticatorStep& step, EapErrorInfo& error,
                std::unique_ptr<Pending> pending, uint64_t nowMs, Outbox* out);
  void Verdict(Conversation* conversation, const AuthenticatorStep* step, bool stepFailed, const EapErrorInfo& error,
               const Pending& pending, uint64_t nowMs, Outbox* out);
  void RejectWithoutConversation(const RequestView& request, const Source& source, const SharedSecret& secret,
                                 const std::string& cacheKey, int eapId, uint64_t nowMs, Outbox* out);
  void Reply(const Pending& pending, Bytes reply, uint64_t nowMs, Outbox* out, ConversationRecord* held = nullptr);
  void Close(Conversation* conversation);
  void Finish(Conversation* conversation);
  void CloseEvicted(std::vector<Conversation*>& evicted);
  void Sweep(uint64_t nowMs);

  LaneSettings settings_;
  LaneCounters counters_;
  ReplyCache cache_;
  ConversationTable<Conversation> table_;
  std::unordered_map<Conversation*, std::unique_ptr<Conversation>> owned_;
  std::unordered_set<Conversation*> waiting_;  // busy until their retransmission (OnClock)
  uint64_t nextSweepMs_ = 0;
  std::unique_ptr<StepPool<StepJob>> steps_;
  std::mutex recordsLock_;
  std::vector<ConversationRecord> records_;
};

}  // namespace eaphost::radius
