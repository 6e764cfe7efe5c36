// What the proxy counts of each home server (radius_handler_proxy.cc), where it sends and hears on
// the lane's thread, read at each scrape (serve --metrics) from any: requests sent to it by kind
// (each once, however often the client engine sends it again), its answers by code and the time
// from the send to the answer (the time-to-verdict buckets, radius_lane_verdicts.h), requests it
// left unanswered, and requests moved off it to another home. Nothing crosses to JS per request.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "../wire/radius_packet.h"
#include "radius_lane_verdicts.h"

namespace eaphost::radius {

// A home server's counts as read: `buckets` cumulative, as a histogram's are written.
struct HomeTally {
  std::string url;
  bool pooled = false;
  uint8_t state = 0;  // HomeState, of a pooled home
  uint64_t accessRequests = 0;
  uint64_t accountingRequests = 0;
  uint64_t accepts = 0;
  uint64_t rejects = 0;
  uint64_t challenges = 0;
  uint64_t accountingResponses = 0;
  uint64_t timeouts = 0;
  uint64_t failovers = 0;
  std::array<uint64_t, kVerdictBucketsUs.size()> buckets{};
  uint64_t answers = 0;  // the latency's count: every answer above
  uint64_t latencySumMs = 0;
};

class HomeCounters {
 public:
  void Sent(bool accounting) { Add(accounting ? accountingRequests_ : accessRequests_); }
  // An answer `latencyMs` after the request was sent; `code`: its RADIUS code.
  void Answered(uint8_t code, uint64_t latencyMs) {
    switch (code) {
      case kAccessAccept: Add(accepts_); break;
      case kAccessReject: Add(rejects_); break;
      case kAccessChallenge: Add(challenges_); break;
      case kAccountingResponse: Add(accountingResponses_); break;
      default: break;
    }
    Add(buckets_[DurationBucket(latencyMs)]);
    latencySumMs_.store(latencySumMs_.load(std::memory_order_relaxed) + latencyMs, std::memory_order_relaxed);
  }
  void TimedOut() { Add(timeouts_); }
  void FailedOver() { Add(failovers_); }
  // Another home now (a discovery route bound again): its counts start from none.
  void Reset() {
    for (auto* each : {&accessRequests_, &accountingRequests_, &accepts_, &rejects_, &challenges_,
                       &accountingResponses_, &timeouts_, &failovers_, &latencySumMs_}) {
      each->store(0, std::memory_order_relaxed);
    }
    for (auto& bucket : buckets_) bucket.store(0, std::memory_order_relaxed);
  }
  void Read(HomeTally* tally) const {
    auto read = [](const std::atomic<uint64_t>& value) { return value.load(std::memory_order_relaxed); };
    tally->accessRequests = read(accessRequests_);
    tally->accountingRequests = read(accountingRequests_);
    tally->accepts = read(accepts_);
    tally->rejects = read(rejects_);
    tally->challenges = read(challenges_);
    tally->accountingResponses = read(accountingResponses_);
    tally->timeouts = read(timeouts_);
    tally->failovers = read(failovers_);
    tally->latencySumMs = read(latencySumMs_);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < tally->buckets.size(); ++i) tally->buckets[i] = cumulative += read(buckets_[i]);
    tally->answers = cumulative + read(buckets_.back());
  }

 private:
  // Only the lane's thread writes: a plain load and store, no locked read-modify-write.
  static void Add(std::atomic<uint64_t>& value) {
    value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  std::atomic<uint64_t> accessRequests_{0}, accountingRequests_{0}, accepts_{0}, rejects_{0}, challenges_{0},
      accountingResponses_{0}, timeouts_{0}, failovers_{0}, latencySumMs_{0};
  // The time-to-verdict buckets' own counts, and past the last bound (+Inf only).
  std::array<std::atomic<uint64_t>, kVerdictBucketsUs.size() + 1> buckets_{};
};

}  // namespace eaphost::radius
