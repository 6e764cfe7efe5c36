// Accounting (RFC 2866): an Accounting-Request's Request Authenticator is computed
// over the packet and the client's secret (§3), so the request is checked here before anything
// reads it; a retransmission is answered from the reply cache, or dropped while the first copy
// is being recorded. JS records it (a database, a log) and says so: only then is the
// Accounting-Response signed and sent, so a NAS is never told a record is kept that is not. A
// write that failed sends nothing, and the NAS's next try is taken as a new request.
#include "radius_handler_accounting.h"

namespace eaphost::radius {

namespace {

// A Message-Authenticator in a request whose Request Authenticator is wrong was not made with
// this client's secret either: counted invalid.
Signing SigningOf(const RequestView& request, ComputedRequestCheck check) {
  if (!request.Has(kMessageAuthenticator)) return Signing::kAbsent;
  return check == ComputedRequestCheck::kValid ? Signing::kValid : Signing::kInvalid;
}

// RFC 2866 §5.13: every Accounting-Request holds one Acct-Status-Type, and a Start, Stop or
// Interim-Update the session it is about (Acct-Session-Id): without them the request records
// nothing a session could be kept by (Starts without one would fold into one), so it is dropped
// as malformed, unanswered, rather than acknowledged. Accounting-On and -Off name the NAS only.
bool AccountingComplete(const RequestView& request) {
  const AttributeView* status = request.Find(kAcctStatusType);
  if (status == nullptr || status->length != 4) return false;
  uint32_t type = ReadU32(request.value(*status));
  constexpr uint32_t kStart = 1, kInterimUpdate = 3;
  if (type < kStart || type > kInterimUpdate) return true;
  const AttributeView* session = request.Find(kAcctSessionId);
  return session != nullptr && session->length > 0;
}

}  // namespace

bool AccountingChecked(LaneContext& lane, const RequestView& request, const Source& source, const SharedSecret& secret,
                       const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  ComputedRequestCheck check = CheckComputedRequest(request, secret);
  // Its Request Authenticator right (a Message-Authenticator, if any, too): the client holds the secret.
  bool verified = check == ComputedRequestCheck::kValid || check == ComputedRequestCheck::kMessageAuthenticatorMissing;
  lane.Tally().Request(source.text, request.code, SigningOf(request, check), request.Has(kProxyState), verified);
  // A Message-Authenticator is optional in accounting; one that is there must be right.
  if (check == ComputedRequestCheck::kBadRequestAuthenticator ||
      check == ComputedRequestCheck::kMessageAuthenticatorInvalid) {
    lane.Counters().droppedBadAuthenticator++;
    return false;
  }
  if (!AccountingComplete(request)) {
    lane.Counters().droppedMalformed++;
    return false;
  }
  return !lane.Retransmitted(cacheKey, request.authenticator(), source, nowMs, out);
}

bool AccountingHandler::Receive(const RequestView& request, const Source& source, const SharedSecret& secret,
                                const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  if (!AccountingChecked(lane_, request, source, secret, cacheKey, nowMs, out)) return true;
  lane_.Counters().accountingRequests++;
  // A store that keeps nothing (hung, or slower than the NASes) must not grow this without end:
  // past maxConversations the oldest waiting is forgotten, unanswered; the NAS resends it, and
  // its retry is recorded once (the store knows it by its content).
  if (accountingAsked_.size() >= lane_.Settings().maxConversations) ForgetOldest();
  AccountingRequest handed;
  if (++lastAccounting_ == 0) ++lastAccounting_;
  handed.id = lastAccounting_;
  handed.client = source.text;
  handed.realm = lane_.HomeRealm(request, &handed.home);
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kProxyState || attribute.type == kMessageAuthenticator) continue;
    handed.attributes.emplace_back(attribute.type,
                                   Bytes(request.value(attribute), request.value(attribute) + attribute.length));
  }
  accountingAsked_[handed.id] = {nowMs, std::make_unique<Pending>(request, source, secret, cacheKey, 0)};
  lane_.Record(std::move(handed));
  return true;
}

void AccountingHandler::OnAccounted(const AccountingAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = accountingAsked_.find(answer.id);
  if (found == accountingAsked_.end()) return;  // forgotten meanwhile (Sweep)
  std::unique_ptr<Pending> pending = std::move(found->second.second);
  accountingAsked_.erase(found);
  if (!answer.recorded) {
    lane_.Counters().accountingUnrecorded++;
    lane_.Forget(pending->cacheKey, pending->authenticator);
    return;
  }
  lane_.Counters().accountingResponses++;
  ReplyWriter writer = pending->Writer(kAccountingResponse, false);
  lane_.Reply(*pending, pending->Signed(writer), nowMs, out);
}

void AccountingHandler::ForgetOldest() {
  auto oldest = accountingAsked_.begin();
  lane_.Counters().accountingUnrecorded++;
  lane_.Forget(oldest->second.second->cacheKey, oldest->second.second->authenticator);
  accountingAsked_.erase(oldest);
}

void AccountingHandler::Sweep(uint64_t nowMs, Outbox*) {
  for (auto it = accountingAsked_.begin(); it != accountingAsked_.end();) {
    if (nowMs - it->second.first < lane_.Settings().replyCacheMs) {
      ++it;
      continue;
    }
    lane_.Forget(it->second.second->cacheKey, it->second.second->authenticator);
    it = accountingAsked_.erase(it);
  }
}

}  // namespace eaphost::radius
