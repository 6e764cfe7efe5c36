// The lane's requests without EAP: PAP (RFC 2865 §5.2's User-Password, checked against the user
// store's answer: a plain table's here, a JS store's when it answers) and MAB (the allow-list, by
// Calling-Station-Id), each that succeeded then decided by the policy (LaneContext::Decide).
#include "radius_handler_plain.h"

#include <algorithm>

#include "radius_policy.h"

namespace eaphost::radius {

namespace {

uint32_t ServiceType(const RequestView& request) {
  const AttributeView* found = request.Find(kServiceType);
  if (found == nullptr || found->length != 4) return 0;
  const uint8_t* v = request.value(*found);
  return ReadU32(v);
}

}  // namespace

bool PlainHandler::Receive(const RequestView& request, const Source& source, const SharedSecret& secret,
                           const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  Plain(request, source, secret, cacheKey, nowMs, out);
  return true;
}

void PlainHandler::Plain(const RequestView& request, const Source& source, const SharedSecret& secret,
                         const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  auto policyRequest = std::make_shared<PolicyRequest>();
  ReadPolicyRequest(request, source, policyRequest.get());
  std::unique_ptr<ConversationRecord> held;
  if (lane_.Settings().records) {
    held = std::make_unique<ConversationRecord>();
    held->client = source.text;
    held->link = source.link;
    held->identity.assign(policyRequest->userName.begin(), policyRequest->userName.end());
    KeepNasAttributes(request, &held->nasAttributes);
  }
  auto decision = std::make_unique<Decision>(Pending(request, source, secret, cacheKey, 0), std::move(held));
  decision->request = policyRequest;
  decision->startedMs = nowMs;
  bool hasPassword = RevealUserPassword(request, secret, &decision->password);
  if (RepeatsClaim(request)) {
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kRepeatedAttribute,
                              "a repeated User-Name or Calling-Station-Id: which one is meant?", nowMs, out);
  }
  if (request.Has(kChapPassword)) {
    // CHAP needs the password in clear and proves nothing MAB does not ask for: never answered.
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kChapRefused,
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
  if (userIsMac && passwordIsName) lane_.Tally().Verified(source.text);
  bool mab = ServiceType(request) == kServiceTypeCallCheck ||
             (lane_.Settings().policy && lane_.Settings().policy->mab && userIsMac && passwordIsName);
  if (mab) {
    policyRequest->method = kMethodMab;
    // The claimed MAC, never the User-Name's text: a `user` rule cannot match a MAB request.
    policyRequest->user = policyRequest->callingMac;
    decision->method = kMethodMab;
    if (!lane_.Settings().policy || !lane_.Settings().policy->mab) {
      return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kMabNoAllowList,
                                "MAB: this server has no MAC allow-list", nowMs, out);
    }
    if (!hasPassword) {
      return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kMabNoPassword,
                                "MAB: no User-Password (a switch sends the MAC as one)", nowMs, out);
    }
    const std::string& mac = policyRequest->callingMac;
    if (mac.empty() || !userIsMac || userMac != mac) {
      return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kMabMacMismatch,
                                "MAB: User-Name and Calling-Station-Id must name the same MAC address", nowMs, out);
    }
    if (!lane_.Settings().policy->ListedMac(mac, &decision->base)) {
      return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kMabNotListed,
                                "MAB: " + mac + " is not in the allow-list", nowMs, out);
    }
    return lane_.Decide(std::move(decision), nowMs, out);
  }
  policyRequest->method = kMethodPap;
  policyRequest->user = policyRequest->userName;
  decision->method = kMethodPap;
  if (!hasPassword) {
    // Neither EAP nor PAP (nothing to authenticate with).
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kNoCredentials,
                              "this server authenticates with EAP, PAP and MAB only", nowMs, out);
  }
  if (!lane_.Settings().pap) {
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kPapNotServed,
                              "PAP: not answered here (serve --pap, or a policy rule naming pap)", nowMs, out);
  }
  std::string slowed;
  if (!PapMayCheck(*decision, nowMs, &slowed)) {
    lane_.Counters().papSlowed++;
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kPapSlowed, slowed, nowMs, out);
  }
  if (lane_.Settings().askStore) {
    uint32_t id = lane_.NextQuestion();
    decision->askedMs = nowMs;
    plainAsked_[id] = std::move(decision);
    lane_.Ask(StoreQuestion{id, policyRequest->userName});
    return;
  }
  auto found = lane_.Settings().users.find(policyRequest->userName);
  bool right = found != lane_.Settings().users.end() && PasswordMatches(*found->second, decision->password);
  PapChecked(*decision, !right, nowMs);
  if (!right)
    return lane_.SendDecision(*decision, false, nullptr, VerdictReason::kWrongPassword,
                              "PAP: wrong user name or password", nowMs, out);
  SecureZeroContents(decision->password);
  lane_.Decide(std::move(decision), nowMs, out);
}

bool PlainHandler::PapMayCheck(const Decision& decision, uint64_t nowMs, std::string* why) {
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

void PlainHandler::PapChecked(const Decision& decision, bool failed, uint64_t nowMs) {
  if (!failed) {
    // The password was hidden with the client's secret (RFC 2865 §5.2): a match proves the secret.
    lane_.Tally().Verified(decision.pending.source.text);
    return papUsers_.Succeeded(decision.request->userName);
  }
  papUsers_.Failed(decision.request->userName, nowMs);
  papNases_.Failed(decision.pending.source.text, nowMs);
}

bool PlainHandler::Resume(StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = plainAsked_.find(answer.question);
  if (found == plainAsked_.end()) return false;
  std::unique_ptr<Decision> decision = std::move(found->second);
  plainAsked_.erase(found);
  if (answer.failed) {
    lane_.SendDecision(*decision, false, nullptr, VerdictReason::kUserStoreFailed, answer.failure, nowMs, out);
    return true;
  }
  bool right = answer.known && PasswordMatches(*answer.known, decision->password);
  PapChecked(*decision, !right, nowMs);
  if (!right) {
    lane_.SendDecision(*decision, false, nullptr, VerdictReason::kWrongPassword, "PAP: wrong user name or password",
                       nowMs, out);
    return true;
  }
  SecureZeroContents(decision->password);
  lane_.Decide(std::move(decision), nowMs, out);
  return true;
}

void PlainHandler::Sweep(uint64_t nowMs, Outbox* out) { lane_.ExpireDecisions(plainAsked_, nowMs, out); }

}  // namespace eaphost::radius
