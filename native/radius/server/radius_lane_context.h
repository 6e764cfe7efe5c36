// What a handler may ask of the lane, and what the lane asks of a handler. The lane
// (radius_lane.h) takes each datagram in: its client and secret, its Message-Authenticator, the
// reply cache. Then it hands the request to the handler its packet code names (for an
// Access-Request, in turn: the proxy's realms, EAP, PAP and MAB), which owns the state of what it
// answers and reaches the lane only through LaneContext: the reply sent to its source, the
// reply cache, the counters and tallies, the JS hand-offs and the policy's decision.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "../wire/radius_reply_cache.h"
#include "radius_lane_clients.h"
#include "radius_lane_decision.h"
#include "radius_lane_types.h"
#include "radius_lane_verdicts.h"

namespace eaphost::radius {

class LaneContext {
 public:
  LaneContext(const LaneContext&) = delete;
  LaneContext& operator=(const LaneContext&) = delete;

  const LaneSettings& Settings() const { return settings_; }
  LaneCounters& Counters() { return counters_; }
  ClientTally& Tally() { return tally_; }
  VerdictTally& Verdicts() { return verdicts_; }
  // A retransmission of a request answered (its reply sent again) or being answered (dropped),
  // counted as a duplicate: true when it was one.
  bool Retransmitted(const ReplyKey& cacheKey, const uint8_t* authenticator, const Source& source, uint64_t nowMs,
                     Outbox* out);
  // A request that ends without a reply: the NAS's next try is a new request.
  void Forget(const ReplyKey& cacheKey, const uint8_t* authenticator) { cache_.Forget(cacheKey, authenticator); }
  // The reply to a request, to its source (kept in the reply cache), then its record for JS.
  void Reply(const Pending& pending, Bytes reply, uint64_t nowMs, Outbox* out, ConversationRecord* record = nullptr);
  // The JS hand-offs: a question for the user store (its id one of NextQuestion's, which
  // authorize()'s questions share), and an Accounting-Request to record.
  uint32_t NextQuestion();
  void Ask(StoreQuestion question);
  void Record(AccountingRequest request);
  // A RadSec home (its first route's index) needs a connection: JS opens it.
  void ConnectHome(uint32_t route);
  // Asks JS's discovery for the home of `realm` (ForJs::proxyDiscovers).
  void DiscoverRealm(const std::string& realm);
  // A spooled Accounting-Request (its JS id) acknowledged by its home, or not.
  void Spooled(uint32_t id, bool acknowledged);
  // The realm of a request a route sends to a home server; empty when none does.
  virtual std::string HomeRealm(const RequestView& request, std::string* home) const = 0;
  // A verdict that succeeded, decided by the policy or asked of authorize(), then sent; or a
  // verdict sent as it is (radius_lane_policy.cc).
  virtual void Decide(std::unique_ptr<Decision> decision, uint64_t nowMs, Outbox* out) = 0;
  virtual void SendDecision(Decision& decision, bool accept, const EncodedAttributes* reply, VerdictReason why,
                            const std::string& reason, uint64_t nowMs, Outbox* out) = 0;
  // The mailbox JS empties (under its own lock: any thread may fill it): a reply to a RadSec
  // connection, JS's to write; a RadSec connection whose framing broke, counted as a malformed
  // packet, JS's to close; and whether anything waits, and all of it taken at once.
  void PassToJs(OutgoingDatagram datagram);
  void LinkBroken(uint32_t link);
  bool HasForJs();
  ForJs TakeForJs();
  // Verdicts that waited for JS past the idle window, by question: each rejected.
  void ExpireDecisions(std::unordered_map<uint32_t, std::unique_ptr<Decision>>& waiting, uint64_t nowMs, Outbox* out);

 protected:
  explicit LaneContext(LaneSettings settings);
  virtual ~LaneContext() = default;

  LaneSettings settings_;
  LaneCounters counters_;
  ReplyCache cache_;
  ClientTally tally_;
  VerdictTally verdicts_;
  uint32_t lastQuestion_ = 0;
  std::mutex forJsLock_;
  ForJs forJs_;
};

// One kind of request's handler ({recv, resume, send} in one place, its state its own): the
// lane's dispatch table names it for the packet codes it takes.
class LaneHandler {
 public:
  virtual ~LaneHandler() = default;
  // A request for it: false when it is not this handler's after all (the next in its code's row
  // is asked).
  virtual bool Receive(const RequestView& request, const Source& source, const SharedSecret& secret,
                       const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) = 0;
  // The user store's answer to a question it asked: false when it asked none by that id.
  virtual bool Resume(StoreAnswer&, uint64_t, Outbox*) { return false; }
  // Its timers, each turn of the lane's clock (before the idle sweep): when it wants the next.
  virtual uint64_t Clock(uint64_t, Outbox*) { return UINT64_MAX; }
  // The idle sweep: what waited too long is answered or forgotten.
  virtual void Sweep(uint64_t, Outbox*) {}
  // The lane ends: what it holds is dropped.
  virtual void End() {}
};

}  // namespace eaphost::radius
