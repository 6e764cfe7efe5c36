// Accounting-Requests (RFC 2866), checked, handed to JS, and answered once JS has recorded them
// (radius_handler_accounting.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <map>
#include <utility>

#include "radius_lane_context.h"

namespace eaphost::radius {

// An Accounting-Request's checks, for the handler and the proxy alike: its computed Request
// Authenticator (RFC 2866 §3) and Message-Authenticator, its Acct-Status-Type and session, and the
// reply cache (a retransmission answered or dropped). True when it is a new request to act on;
// false when it was dropped, counted, or answered from the cache.
bool AccountingChecked(LaneContext& lane, const RequestView& request, const Source& source, const SharedSecret& secret,
                       const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out);

class AccountingHandler final : public LaneHandler {
 public:
  explicit AccountingHandler(LaneContext& lane) : lane_(lane) {}

  // An Accounting-Request: checked, then handed to JS until it says it is recorded.
  bool Receive(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               uint64_t nowMs, Outbox* out) override;
  // Requests JS has not answered within the reply cache's lifetime are forgotten: the NAS's next
  // try is a new request.
  void Sweep(uint64_t nowMs, Outbox* out) override;
  // JS recorded an Accounting-Request, or could not.
  void OnAccounted(const AccountingAnswer& answer, uint64_t nowMs, Outbox* out);

 private:
  // The request waiting longest for JS forgotten (the map is full).
  void ForgetOldest();

  LaneContext& lane_;
  // Accounting-Requests JS is recording, by id (in order: the first is the oldest, but for the
  // moment ids wrap past 2^32): when each was handed over, and what its reply needs.
  std::map<uint32_t, std::pair<uint64_t, std::unique_ptr<Pending>>> accountingAsked_;
  uint32_t lastAccounting_ = 0;
};

}  // namespace eaphost::radius
