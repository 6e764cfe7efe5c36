// The lane's policy: every verdict that succeeded (EAP, PAP, or MAB found in the allow-list),
// decided by the policy's rules in this step or by authorize() in JS, then answered with the
// attributes it chose.
#include <string>

#include "radius_lane.h"
#include "radius_lane_decision.h"
#include "radius_policy.h"

namespace eaphost::radius {

namespace {

constexpr uint32_t kErrorAccessDenied = 5;
constexpr uint32_t kErrorInternal = 1359;

bool IsTunnelAttribute(uint8_t type) {
  return type == kTunnelType || type == kTunnelMediumType || type == kTunnelPrivateGroupId;
}

}  // namespace

void RadiusLane::Decide(std::unique_ptr<Decision> decision, uint64_t nowMs, Outbox* out) {
  if (settings_.askAuthorize) {
    uint32_t id = NextQuestion();
    decision->askedMs = nowMs;
    AuthorizeQuestion question{id, decision->pending.source.text, decision->request};
    deciding_[id] = std::move(decision);
    std::lock_guard<std::mutex> lock(forJsLock_);
    forJs_.authorizations.push_back(std::move(question));
    return;
  }
  if (!settings_.policy)
    return SendDecision(*decision, true, nullptr, VerdictReason::kAccepted, std::string(), nowMs, out);
  size_t index = 0;
  const PolicyRule* rule = FirstMatch(*settings_.policy, *decision->request, &index);
  if (rule != nullptr) verdicts_.RuleHit(index);
  if (rule != nullptr && rule->reject) {
    return SendDecision(*decision, false, nullptr, VerdictReason::kPolicyRejects,
                        "the policy's rule " + std::to_string(index) + " rejects", nowMs, out);
  }
  SendDecision(*decision, true, rule != nullptr ? &rule->reply : nullptr, VerdictReason::kAccepted, std::string(),
               nowMs, out);
}

void RadiusLane::OnAuthorized(AuthorizeAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = deciding_.find(answer.question);
  if (found == deciding_.end()) return;
  std::unique_ptr<Decision> decision = std::move(found->second);
  deciding_.erase(found);
  if (answer.failed) {
    return SendDecision(*decision, false, nullptr, VerdictReason::kAuthorizeFailed, answer.failure, nowMs, out);
  }
  if (answer.reject)
    return SendDecision(*decision, false, nullptr, VerdictReason::kAuthorizeRejects, "authorize() rejects", nowMs, out);
  SendDecision(*decision, true, &answer.attributes, VerdictReason::kAccepted, std::string(), nowMs, out);
}

void RadiusLane::SendDecision(Decision& decision, bool accept, const EncodedAttributes* reply, VerdictReason why,
                              const std::string& reason, uint64_t nowMs, Outbox* out) {
  const Pending& pending = decision.pending;
  ConversationRecord* record = decision.record.get();
  if (record != nullptr) {
    record->eapType = decision.method;
    record->accept = accept;
    record->durationMs = nowMs - decision.startedMs;
    if (!accept) {
      record->hasError = true;
      record->error =
          HostError(reason.rfind("the user store", 0) == 0 ? kErrorInternal : kErrorAccessDenied, "policy", reason);
    }
  }
  // Counted once it goes out (an Accept too large to send comes back here as a reject).
  auto count = [&](bool accepted, VerdictReason because) {
    verdicts_.Count(tally_.Label(pending.source.text),
                    VerdictFacts{decision.method, accepted, because, nowMs - decision.startedMs, decision.established});
  };
  if (!accept) {
    counters_.rejects++;
    ReplyWriter writer = pending.Writer(kAccessReject);
    if (!decision.eap.empty()) writer.AddEapMessage(VerdictPacket(kEapFailure, pending.eapId));
    count(false, why);
    return Reply(pending, pending.Signed(writer), nowMs, out, record);
  }
  ReplyWriter writer = pending.Writer(kAccessAccept);
  if (!decision.eap.empty()) writer.AddEapMessage(decision.eap);
  AddKeys(writer, pending, decision.keys);
  for (const auto& [type, value] : decision.base) writer.Add(type, value.data(), value.size());
  if (reply != nullptr) {
    for (const auto& [type, value] : *reply) {
      // The MAC's own VLAN in the allow-list wins over a rule's.
      if (!decision.base.empty() && IsTunnelAttribute(type)) continue;
      writer.Add(type, value.data(), value.size());
    }
  }
  Bytes packet = pending.Signed(writer);
  if (packet.empty()) {
    // Past 4096 bytes (an authorize() reply, or Proxy-States a policy checked at start could not
    // foresee): a Reject that says so, not an Accept that never leaves.
    return SendDecision(decision, false, nullptr, VerdictReason::kReplyTooLarge,
                        "the Access-Accept would pass 4096 bytes (the reply's attributes beside EAP's)", nowMs, out);
  }
  counters_.accepts++;
  count(true, VerdictReason::kAccepted);
  Reply(pending, std::move(packet), nowMs, out, record);
}

}  // namespace eaphost::radius
