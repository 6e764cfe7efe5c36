#include "radius_das.h"

#include <cstdlib>
#include <cstring>
#include <unordered_set>

namespace eaphost::radius {

namespace {

// Error-Cause values (RFC 5176 §3.6).
namespace cause {
constexpr uint32_t kUnsupportedAttribute = 401;
constexpr uint32_t kMissingAttribute = 402;
constexpr uint32_t kNasIdentificationMismatch = 403;
constexpr uint32_t kInvalidRequest = 404;
constexpr uint32_t kUnsupportedService = 405;
constexpr uint32_t kInvalidAttributeValue = 407;
constexpr uint32_t kRequestInitiated = 507;
}  // namespace cause

// Service-Type Authorize Only (RFC 5176 §3.2).
constexpr uint32_t kAuthorizeOnly = 17;

void PutWord(uint32_t word, uint8_t out[4]) {
  out[0] = static_cast<uint8_t>(word >> 24);
  out[1] = static_cast<uint8_t>(word >> 16);
  out[2] = static_cast<uint8_t>(word >> 8);
  out[3] = static_cast<uint8_t>(word);
}

// Session identification (RFC 5176 §3): what selects the session.
bool IsSessionAttribute(uint8_t type) {
  switch (type) {
    case kUserName:
    case kNasPort:
    case kFramedIpAddress:
    case kCalledStationId:
    case kCallingStationId:
    case kAcctSessionId:
    case kAcctMultiSessionId:
    case kNasPortId:
    case kChargeableUserIdentity:
      return true;
    default:
      return false;
  }
}

bool IsNasAttribute(uint8_t type) {
  return type == kNasIpAddress || type == kNasIdentifier || type == kNasIpv6Address;
}

// The packet's own attributes, allowed in both requests and never an identification; among them
// Operator-Name (RFC 5580 §6's table allows it in both), which routes a request back toward the
// NAS side (draft-ietf-radext-reverse-coa).
bool IsPacketAttribute(uint8_t type) {
  return type == kMessageAuthenticator || type == kEventTimestamp || type == kProxyState || type == kOperatorName;
}

// What a CoA-Request may change here (RFC 5176 §3.2 leaves the set to the NAS).
bool IsCoaChange(uint8_t type) {
  return type == kSessionTimeout || type == kServiceType || type == kState;
}

}  // namespace

const ClientNetwork* DasLane::ClientFor(const Source& source) const {
  Source match = source;
  // An IPv4 client seen on a dual-stack socket (::ffff:a.b.c.d) is that IPv4 client.
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (source.family == 6 && std::memcmp(source.address, kMapped, sizeof(kMapped)) == 0) {
    match.family = 4;
    std::memmove(match.address, source.address + 12, 4);
  }
  for (const ClientNetwork& network : settings_.clients) {
    if (InNetwork(network, match)) return &network;
  }
  return nullptr;
}

// Until when (by our clock) the request's Event-Timestamp stays within the window (RFC 5176
// §3.5), or none when it is outside it now. A stamp up to a window ahead of our clock passes, so
// the same bytes pass until a window after their stamp, not after their arrival. Without one
// (when none is required): a window from now, all a bounded memory can promise.
std::optional<uint64_t> DasLane::TimelyUntil(const RequestView& request, uint64_t nowMs) const {
  const uint64_t window = settings_.windowSeconds;
  const AttributeView* stamp = nullptr;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type != kEventTimestamp) continue;
    if (stamp != nullptr) return std::nullopt;
    stamp = &attribute;
  }
  if (stamp == nullptr) {
    if (settings_.requireEventTimestamp) return std::nullopt;
    return nowMs + window * 1000;
  }
  if (stamp->length != 4) return std::nullopt;
  // In whole seconds, as hostapd's DAS compares: timely while our second is at most stamp + window.
  const int64_t seconds = static_cast<int64_t>(ReadU32(request.value(*stamp)));
  const int64_t ours = static_cast<int64_t>(nowMs / 1000);
  if (std::llabs(ours - seconds) > static_cast<int64_t>(window)) return std::nullopt;
  return static_cast<uint64_t>(seconds + static_cast<int64_t>(window) + 1) * 1000;
}

// A full memory first forgets what can no longer pass, then the oldest arrivals.
void DasLane::Remember(const std::string& key, uint64_t until, uint64_t nowMs) {
  auto known = remembered_.find(key);
  if (known != remembered_.end()) {
    arrivals_.erase(known->second.order);
    remembered_.erase(known);
  }
  if (remembered_.size() >= settings_.replayCacheSize) {
    for (auto it = arrivals_.begin(); it != arrivals_.end();) {
      auto entry = remembered_.find(*it);
      if (entry->second.until <= nowMs) {
        remembered_.erase(entry);
        it = arrivals_.erase(it);
      } else {
        ++it;
      }
    }
    while (remembered_.size() >= settings_.replayCacheSize && !arrivals_.empty()) {
      remembered_.erase(arrivals_.front());
      arrivals_.pop_front();
    }
  }
  arrivals_.push_back(key);
  Remembered& entry = remembered_[key];
  entry.until = until;
  entry.order = std::prev(arrivals_.end());
}

DasOutcome DasLane::Refuse(const uint8_t* datagram, size_t size, const SharedSecret& secret) {
  DasOutcome outcome;
  RequestView request;
  const bool isRequest = ReadRequest(datagram, size, &request) &&
                         (request.code == kAccessRequest || request.code == kAccountingRequest ||
                          request.code == kStatusServer || request.code == kDisconnectRequest ||
                          request.code == kCoaRequest);
  if (!isRequest) {
    counters_.droppedMalformed++;
    return outcome;
  }
  ReplyWriter writer(kProtocolError, request.identifier, request.authenticator());
  AddProtocolErrorCause(&writer, request.code, false);
  counters_.protocolErrors++;
  // Never remembered: over a stream nothing is retransmitted (RFC 6613 §2.6.1).
  outcome.kind = DasOutcome::Kind::kReply;
  outcome.reply = writer.Sign(secret);
  return outcome;
}

DasOutcome DasLane::OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, bool dtls) {
  DasOutcome outcome;
  const bool stream = source.link != 0;
  // With RadSec, RadSec alone; without it, UDP alone.
  const std::shared_ptr<const SharedSecret>& streamSecret = dtls ? settings_.dtlsSecret : settings_.streamSecret;
  if (stream != (streamSecret != nullptr)) {
    counters_.droppedUnknownClient++;
    return outcome;
  }
  const ClientNetwork* client = ClientFor(source);
  if (client == nullptr && !stream) {
    counters_.droppedUnknownClient++;
    return outcome;
  }
  RequestView request;
  const bool dynamic = ReadRequest(datagram, size, &request) &&
                       (request.code == kDisconnectRequest || request.code == kCoaRequest);
  if (stream && (client == nullptr || !dynamic)) return Refuse(datagram, size, *streamSecret);
  if (!dynamic) {
    counters_.droppedMalformed++;
    return outcome;
  }
  const std::shared_ptr<const SharedSecret>& secret = stream ? streamSecret : client->secret;
  switch (CheckComputedRequest(request, *secret)) {
    case ComputedRequestCheck::kBadRequestAuthenticator:
    case ComputedRequestCheck::kMessageAuthenticatorInvalid:
      counters_.droppedUnauthenticated++;
      return outcome;
    case ComputedRequestCheck::kMessageAuthenticatorMissing:
      if (settings_.requireMessageAuthenticator) {
        counters_.droppedNoMessageAuthenticator++;
        return outcome;
      }
      break;
    case ComputedRequestCheck::kValid:
      break;
  }
  std::optional<uint64_t> until = TimelyUntil(request, nowMs);
  if (!until) {
    counters_.droppedStale++;
    return outcome;
  }
  // Not by source port: a replay may come from any port. The Request Authenticator is a hash over
  // the whole request, Event-Timestamp included.
  std::string key = source.text + "|" + std::to_string(request.identifier) + "|";
  key.append(reinterpret_cast<const char*>(request.authenticator()), kAuthenticatorLength);
  auto seen = remembered_.find(key);
  if (seen != remembered_.end() && nowMs < seen->second.until) {
    counters_.duplicates++;
    if (!seen->second.reply.empty()) {
      outcome.kind = DasOutcome::Kind::kReply;
      outcome.reply = seen->second.reply;
    }
    return outcome;
  }
  Remember(key, *until, nowMs);
  counters_.requests++;
  Waiting waiting;
  waiting.key = std::move(key);
  waiting.secret = secret;
  waiting.code = request.code;
  waiting.identifier = request.identifier;
  std::memcpy(waiting.authenticator, request.authenticator(), kAuthenticatorLength);
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kProxyState) {
      waiting.proxyStates.emplace_back(request.value(attribute), request.value(attribute) + attribute.length);
    }
  }
  uint32_t refused = Parse(request, &outcome.request);
  if (refused != 0) {
    outcome.kind = DasOutcome::Kind::kReply;
    outcome.reply = Sign(waiting, false, refused, false, nowMs);
    return outcome;
  }
  if (++lastId_ == 0) lastId_ = 1;
  outcome.kind = DasOutcome::Kind::kAsk;
  outcome.request.id = lastId_;
  waiting.authorizeOnly = outcome.request.authorizeOnlyState.has_value();
  waiting_.emplace(lastId_, std::move(waiting));
  return outcome;
}

Bytes DasLane::OnVerdict(uint32_t id, bool done, uint32_t errorCause, uint64_t nowMs) {
  auto found = waiting_.find(id);
  if (found == waiting_.end()) return {};
  Waiting waiting = std::move(found->second);
  waiting_.erase(found);
  // RFC 5176 §3.2: the NAS answers Authorize Only with a NAK saying it has begun (507) and asks
  // the server itself.
  if (done && waiting.authorizeOnly) return Sign(waiting, false, cause::kRequestInitiated, true, nowMs);
  return Sign(waiting, done, done ? 0 : errorCause, false, nowMs);
}

// The ACK or NAK (its Error-Cause), saying when it was made as hostapd's DAS does, the request's
// Proxy-States back as they came (RFC 5176 §3); kept for the request's retransmissions.
Bytes DasLane::Sign(const Waiting& waiting, bool ack, uint32_t errorCause, bool authorizeOnlyStarted, uint64_t nowMs) {
  const bool disconnect = waiting.code == kDisconnectRequest;
  const uint8_t code = ack ? (disconnect ? kDisconnectAck : kCoaAck) : (disconnect ? kDisconnectNak : kCoaNak);
  ReplyWriter writer(code, waiting.identifier, waiting.authenticator);
  uint8_t word[4];
  if (authorizeOnlyStarted) {
    PutWord(kAuthorizeOnly, word);
    writer.Add(kServiceType, word, sizeof(word));
  }
  if (!ack) {
    PutWord(errorCause, word);
    writer.Add(kErrorCause, word, sizeof(word));
  }
  PutWord(static_cast<uint32_t>(nowMs / 1000), word);
  writer.Add(kEventTimestamp, word, sizeof(word));
  for (const Bytes& proxy : waiting.proxyStates) writer.Add(kProxyState, proxy.data(), proxy.size());
  Bytes reply = writer.Sign(*waiting.secret);
  if (ack) {
    counters_.acks++;
  } else {
    counters_.naks++;
  }
  auto remembered = remembered_.find(waiting.key);
  if (remembered != remembered_.end()) remembered->second.reply = reply;
  return reply;
}

// The request as JS gets it, or the Error-Cause that refuses it.
uint32_t DasLane::Parse(const RequestView& request, DasRequest* out) const {
  const bool disconnect = request.code == kDisconnectRequest;
  out->disconnect = disconnect;
  std::optional<uint32_t> serviceType;
  bool identified = false;
  std::unordered_set<uint8_t> given;
  for (const AttributeView& view : request.attributes) {
    const uint8_t type = view.type;
    const uint8_t* value = request.value(view);
    const size_t size = view.length;
    out->attributes.emplace_back(type, Bytes(value, value + size));
    if (IsPacketAttribute(type)) continue;
    // RFC 5176 §3.5's table allows each identification attribute (and each change here) at most
    // once. Taken twice, the request names two sessions (hostapd acts on the first, another NAS
    // on the last): no attribute is unsupported and neither value is (401, 407), the request as a
    // whole is malformed, which §3.6 calls 404 Invalid Request ("some other aspect of the request
    // is invalid").
    if (!given.insert(type).second) return cause::kInvalidRequest;
    if (IsNasAttribute(type)) {
      const bool address = type != kNasIdentifier;
      if (address && size != (type == kNasIpAddress ? 4u : 16u)) return cause::kInvalidAttributeValue;
      if (!Ours(type, value, size)) return cause::kNasIdentificationMismatch;
      continue;
    }
    if (IsSessionAttribute(type)) {
      identified = true;
      const bool fourBytes = type == kNasPort || type == kFramedIpAddress;
      if (fourBytes ? size != 4 : size == 0) return cause::kInvalidAttributeValue;
      Bytes bytes(value, value + size);
      switch (type) {
        case kUserName: out->userName = std::move(bytes); break;
        case kCallingStationId: out->callingStationId = std::move(bytes); break;
        case kCalledStationId: out->calledStationId = std::move(bytes); break;
        case kAcctSessionId: out->acctSessionId = std::move(bytes); break;
        case kAcctMultiSessionId: out->acctMultiSessionId = std::move(bytes); break;
        case kNasPortId: out->nasPortId = std::move(bytes); break;
        case kNasPort: out->nasPort = ReadU32(value); break;
        case kFramedIpAddress:
          out->framedIpAddress = std::to_string(value[0]) + "." + std::to_string(value[1]) + "." +
                                 std::to_string(value[2]) + "." + std::to_string(value[3]);
          break;
        default: out->chargeableUserIdentity = std::move(bytes);
      }
      continue;
    }
    if (disconnect || !IsCoaChange(type) || type == kUserPassword || type == kChapPassword) {
      return cause::kUnsupportedAttribute;
    }
    if (type == kState) {
      out->authorizeOnlyState = Bytes(value, value + size);
      continue;
    }
    if (size != 4) return cause::kInvalidAttributeValue;
    if (type == kSessionTimeout) {
      out->sessionTimeout = ReadU32(value);
    } else {
      serviceType = ReadU32(value);
    }
  }
  if (!identified) return cause::kMissingAttribute;
  if (serviceType && *serviceType != kAuthorizeOnly) return cause::kUnsupportedService;
  if (serviceType) {
    // Authorize Only carries identification and State alone (RFC 5176 §3.2).
    if (!out->authorizeOnlyState) return cause::kMissingAttribute;
    if (out->sessionTimeout) return cause::kUnsupportedAttribute;
  } else if (out->authorizeOnlyState) {
    return cause::kUnsupportedAttribute;
  }
  return 0;
}

// NAS identification that names us (RFC 5176 §3: a request naming another NAS is NAK'd 403).
bool DasLane::Ours(uint8_t type, const uint8_t* value, size_t size) const {
  if (settings_.anyNas) return true;
  if (type == kNasIdentifier) {
    return settings_.nasIdentifier && settings_.nasIdentifier->size() == size &&
           std::memcmp(settings_.nasIdentifier->data(), value, size) == 0;
  }
  const int family = type == kNasIpAddress ? 4 : 6;
  return settings_.ownFamily == family && std::memcmp(settings_.ownAddress, value, size) == 0;
}

void DasLane::Clear() {
  remembered_.clear();
  arrivals_.clear();
  waiting_.clear();
  settings_.clients.clear();
  settings_.streamSecret.reset();
  settings_.dtlsSecret.reset();
}

}  // namespace eaphost::radius
