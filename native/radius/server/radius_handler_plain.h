// Access-Requests without EAP: PAP (User-Password) or MAB, answered by the user store or the
// allow-list, then by the policy (radius_handler_plain.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "radius_failure_throttle.h"
#include "radius_lane_context.h"

namespace eaphost::radius {

class PlainHandler final : public LaneHandler {
 public:
  explicit PlainHandler(LaneContext& lane) : lane_(lane) {}

  bool Receive(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               uint64_t nowMs, Outbox* out) override;
  bool Resume(StoreAnswer& answer, uint64_t nowMs, Outbox* out) override;
  void Sweep(uint64_t nowMs, Outbox* out) override;
  void End() override { plainAsked_.clear(); }

 private:
  void Plain(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
             uint64_t nowMs, Outbox* out);
  // Whether PAP may check a password for this user from this NAS now; if not, `why` says so.
  bool PapMayCheck(const Decision& decision, uint64_t nowMs, std::string* why);
  // A PAP password was wrong (`failed`) or right: counted against its user and NAS.
  void PapChecked(const Decision& decision, bool failed, uint64_t nowMs);

  LaneContext& lane_;
  // PAP requests waiting for the store, by question.
  std::unordered_map<uint32_t, std::unique_ptr<Decision>> plainAsked_;
  // PAP's failed passwords, by User-Name and by NAS (the client's address): 5 free per user, then
  // one a second; 100 free per NAS, then 20 a second (radius_failure_throttle.h).
  FailureThrottle papUsers_{5, 1000, 65536};
  FailureThrottle papNases_{100, 50, 65536};
};

}  // namespace eaphost::radius
