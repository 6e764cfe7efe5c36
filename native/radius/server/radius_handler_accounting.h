// Accounting-Requests (RFC 2866), checked, handed to JS, and answered once JS has recorded them
// (radius_handler_accounting.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>

#include "radius_lane_context.h"

namespace eaphost::radius {

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
  LaneContext& lane_;
  // Accounting-Requests JS is recording, by id: when each was handed over, and what its reply needs.
  std::unordered_map<uint32_t, std::pair<uint64_t, std::unique_ptr<Pending>>> accountingAsked_;
  uint32_t lastAccounting_ = 0;
};

}  // namespace eaphost::radius
