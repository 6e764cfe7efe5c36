// The lane's requests without EAP and its policy's decisions: PAP (RFC 2865 §5.2's User-Password,
// checked against the user store's answer: a plain table's here, a JS store's when it answers),
// MAB (the allow-list, by Calling-Station-Id), and every verdict that succeeded decided by the
// policy's rules in this step or by authorize() in JS, then answered with the attributes it chose.
#include <algorithm>

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

uint32_t ServiceType(const RequestView& request) {
  const AttributeView* found = request.Find(kServiceType);
  if (found == nullptr || found->length != 4) return 0;
  const uint8_t* v = request.value(*found);
  return ReadU32(v);
}

}  // namespace

void RadiusLane::Plain(const RequestView& request, const Source& source, const SharedSecret& secret,
                       const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  auto policyRequest = std::make_shared<PolicyRequest>();
  ReadPolicyRequest(request, source, policyRequest.get());
  std::unique_ptr<ConversationRecord> held;
  if (settings_.records) {
    held = std::make_unique<ConversationRecord>();
    held->client = source.text;
    held->identity.assign(policyRequest->userName.begin(), policyRequest->userName.end());
    KeepNasAttributes(request, &held->nasAttributes);
  }
  auto decision = std::make_unique<Decision>(Pending(request, source, secret, cacheKey, 0), std::move(held));
  decision->request = policyRequest;
  decision->startedMs = nowMs;
  bool hasPassword = RevealUserPassword(request, secret, &decision->password);
  if (RepeatsClaim(request)) {
    return SendDecision(*decision, false, nullptr, VerdictReason::kRepeatedAttribute,
                        "a repeated User-Name or Calling-Station-Id: which one is meant?", nowMs, out);
  }
  if (request.Has(kChapPassword)) {
    // CHAP needs the password in clear and proves nothing MAB does not ask for: never answered.
    return SendDecision(*decision, false, nullptr, VerdictReason::kChapRefused,
                        "CHAP: this server answers EAP, and PAP and MAB when asked", nowMs, out);
  }
  // MAB: Service-Type Call-Check, or (with an allow-list) a User-Name that is a MAC and a
  // User-Password that is the same text, as switches send it when they say nothing else. Either
  // way it proves only a claimed MAC: the request must carry a User-Password, and its User-Name
  // must be the MAC its Calling-Station-Id names.
  std::string userMac;
  bool userIsMac = MacText(reinterpret_cast<const uint8_t*>(policyRequest->userName.data()),
                           policyRequest->userName.size(), &userMac);
  bool passwordIsName =
      hasPassword && decision->password.size() == policyRequest->userName.size() &&
      std::equal(decision->password.begin(), decision->password.end(), policyRequest->userName.begin());
  // A MAC in User-Name that the User-Password, hidden with the client's secret, repeats proves the secret.
  if (userIsMac && passwordIsName) tally_.Verified(source.text);
  bool mab = ServiceType(request) == kServiceTypeCallCheck ||
             (settings_.policy && settings_.policy->mab && userIsMac && passwordIsName);
  if (mab) {
    policyRequest->method = kMethodMab;
    // The claimed MAC, never the User-Name's text: a `user` rule cannot match a MAB request.
    policyRequest->user = policyRequest->callingMac;
    decision->method = kMethodMab;
    if (!settings_.policy || !settings_.policy->mab) {
      return SendDecision(*decision, false, nullptr, VerdictReason::kMabNoAllowList,
                          "MAB: this server has no MAC allow-list", nowMs, out);
    }
    if (!hasPassword) {
      return SendDecision(*decision, false, nullptr, VerdictReason::kMabNoPassword,
                          "MAB: no User-Password (a switch sends the MAC as one)", nowMs, out);
    }
    const std::string& mac = policyRequest->callingMac;
    if (mac.empty() || !userIsMac || userMac != mac) {
      return SendDecision(*decision, false, nullptr, VerdictReason::kMabMacMismatch,
                          "MAB: User-Name and Calling-Station-Id must name the same MAC address", nowMs, out);
    }
    if (!settings_.policy->ListedMac(mac, &decision->base)) {
      return SendDecision(*decision, false, nullptr, VerdictReason::kMabNotListed,
                          "MAB: " + mac + " is not in the allow-list", nowMs, out);
    }
    return Decide(std::move(decision), nowMs, out);
  }
  policyRequest->method = kMethodPap;
  policyRequest->user = policyRequest->userName;
  decision->method = kMethodPap;
  if (!hasPassword) {
    // Neither EAP nor PAP (nothing to authenticate with).
    return SendDecision(*decision, false, nullptr, VerdictReason::kNoCredentials,
                        "this server authenticates with EAP, PAP and MAB only", nowMs, out);
  }
  if (!settings_.pap) {
    return SendDecision(*decision, false, nullptr, VerdictReason::kPapNotServed,
                        "PAP: not answered here (serve --pap, or a policy rule naming pap)", nowMs, out);
  }
  std::string slowed;
  if (!PapMayCheck(*decision, nowMs, &slowed)) {
    counters_.papSlowed++;
    return SendDecision(*decision, false, nullptr, VerdictReason::kPapSlowed, slowed, nowMs, out);
  }
  if (settings_.askStore) {
    if (++lastQuestion_ == 0) lastQuestion_ = 1;
    uint32_t id = lastQuestion_;
    decision->askedMs = nowMs;
    plainAsked_[id] = std::move(decision);
    std::lock_guard<std::mutex> lock(forJsLock_);
    forJs_.questions.push_back(StoreQuestion{id, policyRequest->userName});
    return;
  }
  auto found = settings_.users.find(policyRequest->userName);
  bool right = found != settings_.users.end() && PasswordMatches(*found->second, decision->password);
  PapChecked(*decision, !right, nowMs);
  if (!right)
    return SendDecision(*decision, false, nullptr, VerdictReason::kWrongPassword, "PAP: wrong user name or password",
                        nowMs, out);
  SecureZeroContents(decision->password);
  Decide(std::move(decision), nowMs, out);
}

bool RadiusLane::PapMayCheck(const Decision& decision, uint64_t nowMs, std::string* why) {
  uint64_t waitMs = 0, failures = 0;
  if (!papUsers_.MayCheck(decision.request->userName, nowMs, &waitMs, &failures)) {
    *why = "PAP: slowed: " + std::to_string(failures) + " wrong passwords for this user; the next is checked in " +
           std::to_string(waitMs) + " ms";
    return false;
  }
  if (!papNases_.MayCheck(decision.pending.source.text, nowMs, &waitMs, &failures)) {
    *why = "PAP: slowed: " + std::to_string(failures) + " wrong passwords from this NAS; the next is checked in " +
           std::to_string(waitMs) + " ms";
    return false;
  }
  return true;
}

void RadiusLane::PapChecked(const Decision& decision, bool failed, uint64_t nowMs) {
  if (!failed) {
    // The password was hidden with the client's secret (RFC 2865 §5.2): a match proves the secret.
    tally_.Verified(decision.pending.source.text);
    return papUsers_.Succeeded(decision.request->userName);
  }
  papUsers_.Failed(decision.request->userName, nowMs);
  papNases_.Failed(decision.pending.source.text, nowMs);
}

bool RadiusLane::PlainAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = plainAsked_.find(answer.question);
  if (found == plainAsked_.end()) return false;
  std::unique_ptr<Decision> decision = std::move(found->second);
  plainAsked_.erase(found);
  if (answer.failed) {
    SendDecision(*decision, false, nullptr, VerdictReason::kUserStoreFailed, answer.failure, nowMs, out);
    return true;
  }
  bool right = answer.known && PasswordMatches(*answer.known, decision->password);
  PapChecked(*decision, !right, nowMs);
  if (!right) {
    SendDecision(*decision, false, nullptr, VerdictReason::kWrongPassword, "PAP: wrong user name or password", nowMs,
                 out);
    return true;
  }
  SecureZeroContents(decision->password);
  Decide(std::move(decision), nowMs, out);
  return true;
}

void RadiusLane::Decide(std::unique_ptr<Decision> decision, uint64_t nowMs, Outbox* out) {
  if (settings_.askAuthorize) {
    if (++lastQuestion_ == 0) lastQuestion_ = 1;
    uint32_t id = lastQuestion_;
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

// A verdict JS has not decided within the idle window (authorize() or the store silent past its
// own bound): rejected, as a store's silence rejects an EAP conversation.
void RadiusLane::SweepDecisions(uint64_t nowMs, Outbox* out) {
  for (auto* waiting : {&deciding_, &plainAsked_}) {
    std::vector<uint32_t> due;
    for (const auto& [id, decision] : *waiting) {
      if (nowMs - decision->askedMs >= settings_.idleTimeoutMs) due.push_back(id);
    }
    for (uint32_t id : due) {
      std::unique_ptr<Decision> decision = std::move((*waiting)[id]);
      waiting->erase(id);
      counters_.conversationsExpired++;
      SendDecision(*decision, false, nullptr, VerdictReason::kNoAnswer, "no answer within the idle window", nowMs, out);
    }
  }
}

}  // namespace eaphost::radius
