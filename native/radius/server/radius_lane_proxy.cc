// The lane as a proxy (RFC 2865 §2.3, RFC 3579 §3.2, RFC 2548 §2.4): an Access-Request whose
// User-Name realm (RFC 7542 §2.2, after the last '@') a route names is forwarded to that realm's
// home server through the client engine (radius_exchange.h), which gives it a fresh Identifier and
// Request Authenticator, hides User-Password and signs it with the home server's secret and a
// Message-Authenticator. The NAS's attributes go as they came, its Proxy-States included, and the
// proxy's own Proxy-State last. The home server's reply goes back under the NAS's Identifier and
// Request Authenticator, signed with the NAS's secret: Message-Authenticator recomputed, MPPE keys
// revealed with the home server's secret and hidden again with the NAS's, the proxy's Proxy-State
// stripped and the NAS's echoed. A NAS's retransmission while the request is out is the reply
// cache's (one forward per request); a realm with no route, or a home server that does not
// answer, gets an Access-Reject whose Reply-Message says why.
#include <algorithm>
#include <string>
#include <utility>

#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "radius_lane.h"
#include "radius_lane_decision.h"
#include "radius_policy.h"

namespace eaphost::radius {

namespace {

constexpr uint8_t kTunnelPassword = 69;
constexpr uint8_t kEapFailureCode = 4;
constexpr uint8_t kEapResponseCode = 2;
// The proxy's Proxy-State: "eaphost" and the request's id (big-endian). The reply's Proxy-States
// are all stripped: the NAS's go back from its request, as they came.
constexpr char kProxyStateTag[] = "eaphost";
constexpr size_t kProxyStateTagLength = sizeof(kProxyStateTag) - 1;

// The realm of the request's User-Name, ASCII letters lower-cased; empty without one.
std::string RealmOf(const RequestView& request, std::string* identity) {
  const AttributeView* name = request.Find(kUserName);
  if (name == nullptr) return {};
  identity->assign(reinterpret_cast<const char*>(request.value(*name)), name->length);
  size_t at = identity->rfind('@');
  if (at == std::string::npos || at + 1 == identity->size()) return {};
  std::string realm = identity->substr(at + 1);
  for (char& c : realm) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return realm;
}

// The EAP-Response's Identifier and type, or -1 without a whole EAP packet.
int EapResponseOf(const RequestView& request, uint32_t* type) {
  Bytes eap;
  if (JoinEapMessage(request, &eap) != EapMessage::kWhole || eap.size() < 5 || eap[0] != kEapResponseCode) return -1;
  *type = eap[4];
  return eap[1];
}

}  // namespace

std::vector<ProxyForward> RadiusLane::TakeForwards() {
  std::vector<ProxyForward> taken;
  std::swap(taken, forwards_);
  return taken;
}

bool RadiusLane::Proxy(const RequestView& request, const Source& source, const SharedSecret& secret,
                       const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  if (settings_.proxyRoutes.empty() || request.code != kAccessRequest) return false;
  std::string identity;
  const std::string realm = RealmOf(request, &identity);
  if (realm.empty()) return false;
  const ProxyRoute* route = nullptr;
  const ProxyRoute* fallback = nullptr;
  for (const ProxyRoute& candidate : settings_.proxyRoutes) {
    if (candidate.realm == realm) route = &candidate;
    if (candidate.realm == "*") fallback = &candidate;
  }
  if (route == nullptr) route = fallback;
  if (route != nullptr && route->local) return false;

  uint32_t eapType = request.Has(kUserPassword) ? kMethodPap : 1;
  const int eapId = EapResponseOf(request, &eapType);
  auto proxied =
      std::make_unique<Proxied>(Pending(request, source, secret, cacheKey, eapId < 0 ? 0 : eapId), eapId, nowMs);
  proxied->route = route;
  proxied->record.client = source.text;
  proxied->record.identity.assign(identity.begin(), identity.end());
  proxied->record.eapType = eapType;
  KeepNasAttributes(request, &proxied->record.nasAttributes);
  if (route == nullptr) {
    ProxyReject(*proxied, "no route: realm \"" + realm + "\" is not served here and no default (*) realm is set", nowMs,
                out);
    return true;
  }
  if (proxied_.size() >= settings_.maxConversations) {
    ProxyReject(*proxied, "the proxy has " + std::to_string(proxied_.size()) + " requests out to home servers", nowMs,
                out);
    return true;
  }

  ClientRequest forward;
  do forward.id = ++lastProxied_;
  while (forward.id == 0 || proxied_.count(forward.id) != 0);
  forward.target = route->target;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kMessageAuthenticator || attribute.type == kUserPassword) continue;
    forward.attributes.push_back(
        {attribute.type, Bytes(request.value(attribute), request.value(attribute) + attribute.length)});
  }
  if (request.Has(kUserPassword)) {
    forward.hasUserPassword = true;
    if (!RevealUserPassword(request, secret, &forward.userPassword)) {
      ProxyReject(*proxied, "the User-Password is not 16 to 128 bytes in steps of 16", nowMs, out);
      return true;
    }
  }
  Bytes own(kProxyStateTag, kProxyStateTag + kProxyStateTagLength);
  for (int shift = 24; shift >= 0; shift -= 8) own.push_back(static_cast<uint8_t>(forward.id >> shift));
  forward.attributes.push_back({kProxyState, std::move(own)});
  forward.messageAuthenticator = true;
  // A reply carrying EAP is refused without one whatever this says (CheckReply); PAP's may lack it.
  forward.requireMessageAuthenticator = false;
  forward.answerCodes.set(kAccessAccept).set(kAccessReject).set(kAccessChallenge);
  forward.tries = settings_.proxyTries;
  forward.timeoutMs = settings_.proxyTimeoutMs;
  const char* why = nullptr;
  if (!ClientRequestFits(forward, &why)) {
    ProxyReject(*proxied, std::string("the request cannot be forwarded: ") + why, nowMs, out);
    return true;
  }
  const uint32_t id = forward.id;
  forwards_.push_back({route->server.family, std::move(forward)});
  proxied_.emplace(id, std::move(proxied));
  return true;
}

void RadiusLane::OnProxied(ClientOutcome& outcome, uint64_t nowMs, Outbox* out) {
  auto found = proxied_.find(outcome.id);
  if (found == proxied_.end()) return;
  std::unique_ptr<Proxied> proxied = std::move(found->second);
  proxied_.erase(found);
  const std::string home = "home server " + proxied->route->url;
  if (outcome.kind != OutcomeKind::kReply) {
    // Unanswered: by a server that is silent, or whose replies do not verify under our secret.
    const bool mismatch = outcome.kind == OutcomeKind::kSecretMismatch || outcome.unauthenticated != 0;
    ProxyReject(*proxied,
                mismatch ? home + "'s replies do not verify with the secret for it (shared secret mismatch)"
                         : home + " did not answer within " + std::to_string(settings_.proxyTimeoutMs) + " ms (" +
                               std::to_string(settings_.proxyTries) + " tries)",
                nowMs, out);
    return;
  }
  size_t hiddenKeys = 0;
  for (const ClientAttribute& attribute : outcome.attributes) {
    if (attribute.type == kVendorSpecific && IsMppeKey(attribute.value.data(), attribute.value.size())) hiddenKeys++;
  }
  if (hiddenKeys != outcome.keys.size()) {
    for (Bytes& key : outcome.keys) SecureZeroContents(key);
    ProxyReject(*proxied, home + " sent an MS-MPPE key that does not decode with the secret for it", nowMs, out);
    return;
  }
  const Pending& pending = proxied->pending;
  ReplyWriter writer = pending.Writer(outcome.code);
  size_t key = 0;
  for (const ClientAttribute& attribute : outcome.attributes) {
    // Signed again; the NAS's Proxy-States echoed from its request (Signed), the proxy's dropped;
    // Tunnel-Password is not re-hidden yet, so it does not go on hidden under the wrong secret.
    if (attribute.type == kMessageAuthenticator || attribute.type == kProxyState || attribute.type == kTunnelPassword) {
      continue;
    }
    if (attribute.type == kVendorSpecific && IsMppeKey(attribute.value.data(), attribute.value.size())) {
      // The clear layout (RevealMppeKey): Vendor-Id, Vendor-Type, Vendor-Length, Salt, Key-Length, Key.
      const Bytes& clear = outcome.keys[key++];
      if (clear.size() >= 9 && clear[8] <= clear.size() - 9)
        writer.AddMppeKey(clear[4], clear.data() + 9, clear[8], *pending.secret);
      continue;
    }
    writer.Add(attribute.type, attribute.value.data(), attribute.value.size());
  }
  for (Bytes& clear : outcome.keys) SecureZeroContents(clear);
  Bytes reply = pending.Signed(writer);
  const bool verdict = outcome.code != kAccessChallenge;
  if (outcome.code == kAccessAccept) counters_.accepts++;
  if (outcome.code == kAccessReject) counters_.rejects++;
  if (!verdict) counters_.challenges++;
  ConversationRecord* record = nullptr;
  if (verdict && settings_.records) {
    record = &proxied->record;
    record->accept = outcome.code == kAccessAccept;
    record->durationMs = nowMs - proxied->startedMs;
    if (!record->accept) {
      record->hasError = true;
      record->error.rootCauseString = Utf8ToUtf16("rejected by " + home);
    }
  }
  Reply(pending, std::move(reply), nowMs, out, record);
}

void RadiusLane::ProxyReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out) {
  counters_.rejects++;
  const Pending& pending = proxied.pending;
  ReplyWriter writer = pending.Writer(kAccessReject);
  const std::string message = "eaphost proxy: " + reason;
  writer.Add(kReplyMessage, reinterpret_cast<const uint8_t*>(message.data()),
             std::min(message.size(), kMaxAttributeValue));
  if (proxied.eapId >= 0) writer.AddEapMessage(VerdictPacket(kEapFailureCode, proxied.eapId));
  ConversationRecord record = proxied.record;
  record.accept = false;
  record.durationMs = nowMs - proxied.startedMs;
  record.hasError = true;
  record.error.call = "proxy";
  record.error.rootCauseString = Utf8ToUtf16(message);
  Reply(pending, pending.Signed(writer), nowMs, out, settings_.records ? &record : nullptr);
}

}  // namespace eaphost::radius
