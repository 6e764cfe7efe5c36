#include "radius_lane.h"

#include <algorithm>
#include <utility>

#include "radius_handler_accounting.h"
#include "radius_handler_eap.h"
#include "radius_handler_plain.h"
#include "radius_handler_proxy.h"

namespace eaphost::radius {

RadiusLane::RadiusLane(LaneSettings settings, const ReplyPaths& paths)
    : LaneContext(std::move(settings)), paths_(paths) {
  auto plain = std::make_unique<PlainHandler>(*this);
  auto accounting = std::make_unique<AccountingHandler>(*this);
  auto eap = std::make_unique<EapHandler>(*this);
  auto proxy = std::make_unique<ProxyHandler>(*this, settings_.proxyRoutes);
  // An Accounting-Request: a realm a route names is the proxy's, unless it is recorded here.
  if (!settings_.proxyRoutes.empty() && !settings_.accounting) Take(*proxy, kAccountingRequest, true);
  if (settings_.accounting) Take(*accounting, kAccountingRequest, true);
  // An Access-Request: a realm a route names is the proxy's; then one with EAP-Message EAP's;
  // one without PAP's or MAB's.
  if (!settings_.proxyRoutes.empty()) Take(*proxy, kAccessRequest, false);
  Take(*eap, kAccessRequest, false);
  Take(*plain, kAccessRequest, false);
  accounting_ = accounting.get();
  eap_ = eap.get();
  proxy_ = proxy.get();
  handlers_.push_back(std::move(plain));
  handlers_.push_back(std::move(accounting));
  handlers_.push_back(std::move(eap));
  handlers_.push_back(std::move(proxy));
}

void RadiusLane::Take(LaneHandler& handler, uint8_t code, bool checks) {
  (checks ? own_ : checked_)[code].push_back(&handler);
}

bool RadiusLane::HandOver(const std::vector<LaneHandler*>& row, const RequestView& request, const Source& source,
                          const SharedSecret& secret, const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  for (LaneHandler* handler : row) {
    if (handler->Receive(request, source, secret, cacheKey, nowMs, out)) return true;
  }
  return false;
}

RadiusLane::~RadiusLane() { EndAll(); }

const SharedSecret* RadiusLane::SecretFor(const Source& source) const {
  if (settings_.dtlsSecret && paths_.Of(source.link) == ReplyPath::kDtls) return settings_.dtlsSecret.get();
  if (settings_.clients.empty()) return settings_.secret.get();
  for (const ClientNetwork& network : settings_.clients) {
    if (InNetwork(network, source)) return network.secret.get();
  }
  return nullptr;
}

bool RadiusLane::Allowed(const Source& source) const {
  return !settings_.restrictClients || std::any_of(settings_.allowed.begin(), settings_.allowed.end(),
                                                   [&](const auto& allowed) { return InNetwork(allowed, source); });
}

void RadiusLane::OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, Outbox* out) {
  const SharedSecret* secret = Allowed(source) && !draining_ ? SecretFor(source) : nullptr;
  if (secret == nullptr) {
    counters_.droppedUnexpected++;
    return;
  }
  // RADIUS/1.1 (RFC 9765): no secret, and TLS 1.3 has authenticated every byte.
  const bool radius11 = source.radius11;
  if (radius11) secret = &Radius11Keying();
  RequestView request;
  if (!ReadRequest(datagram, size, &request)) {
    counters_.droppedMalformed++;
    return;
  }
  // RADIUS/1.1 names a request by its Token, octets 4-7, and leaves the Identifier unused (RFC 9765 §4).
  const ReplyKey cacheKey(source.family, source.address, source.port, radius11 ? 0 : request.identifier,
                          radius11 ? ReadU32(request.authenticator()) : 0);
  if (HandOver(own_[request.code], request, source, *secret, cacheKey, nowMs, out)) return;
  if (request.code != kAccessRequest && request.code != kStatusServer) {
    if (source.link != 0 && Unserved(request.code)) return ProtocolError(request, source, *secret, out);
    if (source.link != 0 && ReverseAnswer(request.code)) {
      std::lock_guard<std::mutex> lock(forJsLock_);
      forJs_.answers.push_back({Bytes(datagram, datagram + size), source});
      return;
    }
    counters_.droppedUnexpected++;
    return;
  }
  // A Message-Authenticator in a RADIUS/1.1 request is ignored (RFC 9765 §5.2), never checked.
  bool hasMessageAuthenticator = !radius11 && request.Has(kMessageAuthenticator);
  bool signedValid = radius11 || (hasMessageAuthenticator && MessageAuthenticatorValid(request, *secret));
  tally_.Request(source.text, request.code,
                 signedValid               ? Signing::kValid
                 : hasMessageAuthenticator ? Signing::kInvalid
                                           : Signing::kAbsent,
                 request.Has(kProxyState), signedValid);
  if (settings_.requireMessageAuthenticator && !hasMessageAuthenticator && !radius11) {
    counters_.droppedNoMessageAuthenticator++;
    return;
  }
  // Allowed without one (requireMessageAuthenticator false): PAP and MAB, which RFC 2865 signs
  // with nothing but the hidden User-Password.
  bool plainUnsigned = !hasMessageAuthenticator && request.code == kAccessRequest && request.Has(kUserPassword) &&
                       !request.Has(kEapMessage);
  if (!plainUnsigned && !signedValid) {
    if (request.code == kAccessRequest && !hasMessageAuthenticator && !request.Has(kEapMessage)) {
      // Nothing to authenticate, nothing to grant: a Reject signed with our secret lets a client
      // whose EAP requests we drop find out that its shared secret is wrong.
      counters_.rejects++;
      Pending pending(request, source, *secret, cacheKey, 0);
      ReplyWriter writer = pending.Writer(kAccessReject);
      Reply(pending, pending.Signed(writer), nowMs, out);
      return;
    }
    counters_.droppedUnauthenticated++;
    return;
  }
  if (Retransmitted(cacheKey, request.authenticator(), source, nowMs, out)) return;
  counters_.requests++;
  if (request.code == kStatusServer) {
    // RFC 5997: an Access-Accept says "alive" to a Status-Server sent to the authentication port.
    Pending pending(request, source, *secret, cacheKey, 0);
    ReplyWriter writer = pending.Writer(kAccessAccept);
    Reply(pending, pending.Signed(writer), nowMs, out);
    return;
  }
  HandOver(checked_[request.code], request, source, *secret, cacheKey, nowMs, out);
}

// Requests of a kind this authentication listener does not take. Over RadSec they are answered
// with a Protocol-Error (the RadSec revision §3.7, RFC 7930 §4) so the client need not wait them
// out; over UDP, dropped as RFC 2865 §3 drops what a server does not serve. Replies are never
// answered.
bool RadiusLane::ReverseAnswer(uint8_t code) {
  return code == kDisconnectAck || code == kDisconnectNak || code == kCoaAck || code == kCoaNak;
}

bool RadiusLane::Unserved(uint8_t code) {
  return code == kAccountingRequest || code == kDisconnectRequest || code == kCoaRequest;
}

void RadiusLane::ProtocolError(const RequestView& request, const Source& source, const SharedSecret& secret,
                               Outbox* out) {
  Pending pending(request, source, secret, ReplyKey(source.family, source.address, source.port, request.identifier), 0);
  ReplyWriter writer = pending.Writer(kProtocolError);
  AddProtocolErrorCause(&writer, request.code, source.radius11);
  // Not kept in the reply cache: over a stream nothing is retransmitted (RFC 6613 §2.6.1).
  out->push_back({pending.Signed(writer), source});
}

void RadiusLane::OnAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  for (auto& handler : handlers_) {
    if (handler->Resume(answer, nowMs, out)) return;
  }
}

uint64_t RadiusLane::OnClock(uint64_t nowMs, Outbox* out) {
  uint64_t next = UINT64_MAX;
  for (auto& handler : handlers_) next = std::min(next, handler->Clock(nowMs, out));
  if (nowMs >= nextSweepMs_) {
    cache_.Sweep(nowMs);
    ExpireDecisions(deciding_, nowMs, out);
    for (auto& handler : handlers_) handler->Sweep(nowMs, out);
    uint64_t idle = settings_.idleTimeoutMs;
    nextSweepMs_ = nowMs + std::min<uint64_t>(std::max<uint64_t>(idle / 2, 50), 5000);
  }
  return std::min(next, nextSweepMs_);
}

void RadiusLane::EndAll() {
  for (auto& handler : handlers_) handler->End();
  deciding_.clear();
}

size_t RadiusLane::Drain() {
  draining_ = true;
  return proxy_->Outstanding();
}

std::string RadiusLane::HomeRealm(const RequestView& request, std::string* home) const {
  return proxy_->HomeRealm(request, home);
}

}  // namespace eaphost::radius
