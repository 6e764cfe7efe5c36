// The lane's services to its handlers (radius_lane_context.h): the reply cache, the reply sent,
// the JS hand-offs; and the pieces of a reply its handlers share (radius_lane_decision.h).
#include "radius_lane_context.h"

#include <utility>

namespace eaphost::radius {

LaneContext::LaneContext(LaneSettings settings) : settings_(std::move(settings)), cache_(settings_.replyCacheMs) {}

Bytes VerdictPacket(uint8_t code, int id) { return {code, static_cast<uint8_t>(id), 0, 4}; }

// The key of an MS-MPPE-*-Key attribute the method released in clear: Vendor-Id 311, type 16
// or 17, then (after the salt's place) the key's length and the key.
bool ClearMppeKey(const Attribute& attribute, uint8_t* vendorType, const uint8_t** key, size_t* size) {
  const Bytes& v = attribute.value;
  if (attribute.type != eap::eatVendorSpecific || v.size() < 9) return false;
  uint32_t vendor = ReadU32(v.data());
  if (vendor != kMicrosoftVendorId || (v[4] != kMsMppeSendKey && v[4] != kMsMppeRecvKey) || v[8] > v.size() - 9)
    return false;
  *vendorType = v[4];
  *key = v.data() + 9;
  *size = v[8];
  return true;
}

void KeepNasAttributes(const RequestView& request, std::vector<std::pair<uint8_t, Bytes>>* out) {
  for (const AttributeView& attribute : request.attributes) {
    const uint8_t type = attribute.type;
    if (type == kNasIpAddress || type == kCallingStationId || type == kNasIdentifier || type == kAcctSessionId ||
        type == kNasIpv6Address || type == kOperatorName) {
      out->emplace_back(type, Bytes(request.value(attribute), request.value(attribute) + attribute.length));
    }
  }
}

void AddKeys(ReplyWriter& writer, const Pending& pending, const Attributes& attributes) {
  for (const Attribute& attribute : attributes) {
    uint8_t vendorType = 0;
    const uint8_t* key = nullptr;
    size_t size = 0;
    if (ClearMppeKey(attribute, &vendorType, &key, &size)) writer.AddMppeKey(vendorType, key, size, *pending.secret);
    if (pending.wantsKeyName && attribute.type == eap::eatSessionId && !attribute.value.empty() &&
        attribute.value.size() <= kMaxAttributeValue) {
      writer.Add(kEapKeyName, attribute.value.data(), attribute.value.size());
    }
  }
}

bool LaneContext::Retransmitted(const ReplyKey& cacheKey, const uint8_t* authenticator, const Source& source,
                                uint64_t nowMs, Outbox* out) {
  // RADIUS/1.1 over TLS retransmits nothing, but a request whose Token is that of one in flight
  // or answered on this connection is that request (RFC 9765 §4): answered once, whatever else
  // it holds (the key holds the Token).
  const Bytes* kept = nullptr;
  switch (cache_.Check(cacheKey, authenticator, nowMs, &kept, source.radius11)) {
    case ReplyCache::Verdict::kReplay:
      counters_.duplicates++;
      out->push_back({*kept, source});
      return true;
    case ReplyCache::Verdict::kInProgress: counters_.duplicates++; return true;
    case ReplyCache::Verdict::kNew: break;
  }
  return false;
}

void LaneContext::Reply(const Pending& pending, Bytes reply, uint64_t nowMs, Outbox* out, ConversationRecord* record) {
  if (reply.empty()) {
    // Past 4096 bytes (a maxSendPacketSize too large for RADIUS): nothing valid to send.
    counters_.conversationErrors++;
    cache_.Forget(pending.cacheKey, pending.authenticator);
  } else {
    cache_.Store(pending.cacheKey, pending.authenticator, reply, nowMs);
    tally_.Response(pending.source.text, reply[0]);
    out->push_back({std::move(reply), pending.source});
  }
  // The record after its verdict: the engine sends `out` before it tells JS there is a record, so
  // neither a log that is slow nor an event loop that is busy holds an Accept or Reject back.
  if (record != nullptr) {
    std::lock_guard<std::mutex> lock(forJsLock_);
    forJs_.records.push_back(std::move(*record));
  }
}

uint32_t LaneContext::NextQuestion() {
  if (++lastQuestion_ == 0) lastQuestion_ = 1;
  return lastQuestion_;
}

void LaneContext::Ask(StoreQuestion question) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.questions.push_back(std::move(question));
}

void LaneContext::Record(AccountingRequest request) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.accounting.push_back(std::move(request));
}

void LaneContext::Spooled(uint32_t id, bool acknowledged) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  (acknowledged ? forJs_.spoolAcknowledged : forJs_.spoolUnanswered).push_back(id);
}

void LaneContext::ConnectHome(uint32_t route) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.proxyConnects.push_back(route);
}

void LaneContext::DiscoverRealm(const std::string& realm) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.proxyDiscovers.push_back(realm);
}

// A verdict JS has not decided within the idle window (authorize() or the store silent past its
// own bound): rejected, as a store's silence rejects an EAP conversation.
void LaneContext::ExpireDecisions(std::unordered_map<uint32_t, std::unique_ptr<Decision>>& waiting, uint64_t nowMs,
                                  Outbox* out) {
  std::vector<uint32_t> due;
  for (const auto& [id, decision] : waiting) {
    if (nowMs - decision->askedMs >= settings_.idleTimeoutMs) due.push_back(id);
  }
  for (uint32_t id : due) {
    std::unique_ptr<Decision> decision = std::move(waiting[id]);
    waiting.erase(id);
    counters_.conversationsExpired++;
    SendDecision(*decision, false, nullptr, VerdictReason::kNoAnswer, "no answer within the idle window", nowMs, out);
  }
}

void LaneContext::PassToJs(OutgoingDatagram datagram) {
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.replies.push_back(std::move(datagram));
}

void LaneContext::LinkBroken(uint32_t link) {
  counters_.droppedMalformed++;
  std::lock_guard<std::mutex> lock(forJsLock_);
  forJs_.broken.push_back(link);
}

bool LaneContext::HasForJs() {
  std::lock_guard<std::mutex> lock(forJsLock_);
  return !forJs_.records.empty() || !forJs_.questions.empty() || !forJs_.authorizations.empty() ||
         !forJs_.replies.empty() || !forJs_.broken.empty() || !forJs_.accounting.empty() ||
         !forJs_.proxyConnects.empty() || !forJs_.proxyDiscovers.empty() || !forJs_.answers.empty() ||
         !forJs_.spoolAcknowledged.empty() || !forJs_.spoolUnanswered.empty();
}

ForJs LaneContext::TakeForJs() {
  ForJs taken;
  std::lock_guard<std::mutex> lock(forJsLock_);
  std::swap(taken, forJs_);
  return taken;
}

}  // namespace eaphost::radius
