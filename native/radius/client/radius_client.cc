#include "radius_client.h"

#include <algorithm>
#include <cstring>

#include "../../common/secure_zero.h"

namespace eaphost::radius {

namespace {

// Servers that delay rejects (FreeRADIUS reject_delay, 1 s by default) need more than one try's interval.
constexpr uint64_t kMinProbeWaitUs = 1500 * 1000;

std::array<uint8_t, 23> KeyOf(const Source& server) {
  std::array<uint8_t, 23> key{};
  key[0] = static_cast<uint8_t>(server.family);
  std::memcpy(key.data() + 1, server.address, 16);
  key[17] = static_cast<uint8_t>(server.port >> 8);
  key[18] = static_cast<uint8_t>(server.port);
  std::memcpy(key.data() + 19, &server.link, 4);
  return key;
}

}  // namespace

RadiusClientEngine::RadiusClientEngine(std::unique_ptr<RadiusSocket> socket, std::function<void()> notify)
    : socket_(std::move(socket)), loop_(*socket_, std::move(notify)) {
  loop_.Start("eaphost rclient", this);
}

RadiusClientEngine::~RadiusClientEngine() { Close(); }

uint32_t RadiusClientEngine::AddTarget(const Source& server, std::shared_ptr<const SharedSecret> secret) {
  auto target = std::make_unique<Target>();
  target->server = server;
  target->secret = std::move(secret);
  std::lock_guard<std::mutex> lock(inboxLock_);
  targets_.push_back(std::move(target));
  return static_cast<uint32_t>(targets_.size() - 1);
}

void RadiusClientEngine::Close() {
  if (loop_.Stop()) socket_->Release();
}

void RadiusClientEngine::TakeInbox(uint64_t now) {
  std::vector<ClientRequest> submitted;
  std::vector<uint32_t> cancelled;
  std::vector<const Target*> targets;
  std::vector<std::pair<uint32_t, Bytes>> streamed;
  std::vector<std::pair<uint32_t, Bytes>> recorded;
  std::vector<uint32_t> held;
  std::vector<uint32_t> dropped;
  std::vector<std::pair<uint32_t, LinkWrite>> carrying;
  std::unique_ptr<ClientLoad> load;
  const Target* loadTarget = nullptr;
  bool loadStop = false;
  {
    std::lock_guard<std::mutex> lock(inboxLock_);
    load = std::move(loadSubmitted_);
    if (load && load->target < targets_.size()) loadTarget = targets_[load->target].get();
    loadStop = loadStop_;
    loadStop_ = false;
    submitted.swap(submitted_);
    cancelled.swap(cancelled_);
    streamed.swap(streamed_);
    recorded.swap(recorded_);
    streamQueued_.clear();
    held.swap(streamHeld_);
    dropped.swap(dropped_);
    carrying.swap(carrying_);
    targets.reserve(submitted.size());
    for (const ClientRequest& request : submitted) {
      targets.push_back(request.target < targets_.size() ? targets_[request.target].get() : nullptr);
    }
  }
  // Before the requests: a link is carried before its first one is sent.
  for (auto& [link, write] : carrying) carried_[link] = std::move(write);
  for (size_t i = 0; i < submitted.size(); ++i) {
    if (targets[i] == nullptr) continue;  // the binding hands over only targets it made
    auto request = std::make_unique<Outstanding>();
    request->request = std::move(submitted[i]);
    request->target = targets[i];
    Start(std::move(request), now);
  }
  if (load) {
    load_ = std::make_unique<LoadRun>();
    load_->plan = std::move(*load);
    load_->target = loadTarget;
    load_->startUs = now;
    // A target the binding did not make cannot carry a request: the run ends at once.
    load_->stopping = loadTarget == nullptr || load_->plan.size() == 0;
  }
  if (loadStop) LoadWithdraw();
  for (auto& [link, data] : streamed) Frame(link, data, now);
  // A record that came after its link was dropped (the association not closed yet) goes nowhere.
  for (auto& [link, record] : recorded) {
    if (carried_.count(link) != 0) Frame(link, record, now);
  }
  if (!held.empty()) {
    // Taken and framed: JS may read those streams again.
    std::lock_guard<std::mutex> lock(outboxLock_);
    events_.resumed.insert(events_.resumed.end(), held.begin(), held.end());
  }
  for (uint32_t link : dropped) {
    framer_.Drop(link);
    carried_.erase(link);
  }
  for (uint32_t id : cancelled) {
    auto found = byId_.find(id);
    if (found != byId_.end()) {
      Release(*found->second);
      continue;
    }
    for (auto& entry : destinations_) {
      auto& waiting = entry.second->waiting;
      auto at = std::find_if(waiting.begin(), waiting.end(), [id](const auto& w) { return w->request.id == id; });
      if (at != waiting.end()) {
        waiting.erase(at);
        break;
      }
    }
  }
}

void RadiusClientEngine::Start(std::unique_ptr<Outstanding> request, uint64_t now) {
  auto key = KeyOf(request->target->server);
  std::unique_ptr<Destination>& destination = destinations_[key];
  if (!destination) {
    destination = std::make_unique<Destination>();
    destination->server = request->target->server;
    RandomBytes(&destination->next, 1);
    destination->radius11 = request->target->secret->radius11();
    if (destination->radius11) RandomBytes(reinterpret_cast<uint8_t*>(&destination->tokens), sizeof(destination->tokens));
    if (destination->server.link != 0) byLink_[destination->server.link] = destination.get();
  }
  request->destination = destination.get();
  if (destination->used == 256) {
    if (!request->probe) {
      counters_.identifierWaits.fetch_add(1, std::memory_order_relaxed);
      destination->waiting.push_back(std::move(request));
    }
    return;
  }
  while (destination->slots[destination->next]) destination->next = static_cast<uint8_t>(destination->next + 1);
  uint8_t identifier = destination->next++;
  request->identifier = identifier;
  request->strayAtStart = destination->strays;
  ClientRequest& spec = request->request;
  const SharedSecret& secret = *request->target->secret;
  auto write = [&](RequestWriter& writer) {
    // The sizes were checked when JS handed the request over (ClientRequestFits).
    if (spec.hasUserPassword) writer.AddUserPassword(spec.userPassword.data(), spec.userPassword.size(), secret);
    SecureZeroContents(spec.userPassword);
    for (const ClientAttribute& attribute : spec.attributes) writer.Add(attribute.type, attribute.value.data(), attribute.value.size());
    writer.AddEapMessage(spec.eapMessage.data(), spec.eapMessage.size());
    request->datagram = writer.Sign(secret, request->requestAuthenticator);
  };
  if (destination->radius11) {
    // A Token new for every packet (RFC 9765 §4.2.1): a counter from a random start, its low
    // octet the request's slot, so a reply finds its request as under an Identifier.
    RequestWriter writer(spec.code, destination->tokens++ << 8 | identifier);
    write(writer);
  } else {
    RequestWriter writer(spec.code, identifier, spec.messageAuthenticator);
    write(writer);
  }
  request->startedUs = now;
  request->intervalUs = std::max<uint32_t>(1000, spec.timeoutMs / spec.tries * 1000);
  if (!request->probe) {
    counters_.requests.fetch_add(1, std::memory_order_relaxed);
    if (!request->load) byId_[spec.id] = request.get();
  }
  Outstanding& placed = *request;
  destination->slots[identifier] = std::move(request);
  destination->used++;
  Transmit(placed, now);
}

void RadiusClientEngine::Transmit(Outstanding& request, uint64_t now) {
  ClientOutcome& tally = request.tally;
  tally.sent++;
  if (tally.sent > 1) counters_.retransmissions.fetch_add(1, std::memory_order_relaxed);
  const Source& server = request.destination->server;
  if (server.link != 0) {
    auto carried = carried_.find(server.link);
    if (carried != carried_.end()) {
      carried->second(request.datagram);
    } else {
      counters_.streamHandOffs.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(outboxLock_);
      events_.writes.push_back({server.link, request.datagram});
    }
  } else {
    socket_->Send(request.datagram, server);
  }
  const ClientRequest& spec = request.request;
  if (request.probe) {
    request.dueUs = now + std::max<uint64_t>(uint64_t{spec.timeoutMs} * 1000, kMinProbeWaitUs);
  } else if (tally.sent == spec.tries) {
    // The last try waits out what is left of the whole timeout.
    request.dueUs = request.startedUs + uint64_t{spec.timeoutMs} * 1000;
  } else {
    request.dueUs = now + request.intervalUs;
  }
}

uint64_t RadiusClientEngine::OnClock(uint64_t now) {
  std::vector<Outstanding*> due;
  uint64_t next = UINT64_MAX;
  for (auto& entry : destinations_) {
    for (auto& slot : entry.second->slots) {
      if (!slot) continue;
      if (slot->dueUs <= now) {
        due.push_back(slot.get());
      } else {
        next = std::min(next, slot->dueUs);
      }
    }
  }
  bool rescan = false;  // a request started here (Release's next, a probe) is not in `next`
  for (Outstanding* request : due) {
    if (request->probe) {
      Release(*request);  // silence proves nothing
      rescan = true;
      continue;
    }
    if (request->request.secretProbe && !request->probeSent) {
      request->probeSent = true;
      SendProbe(*request, now);
      rescan = true;
    }
    if (request->tally.sent < request->request.tries) {
      Transmit(*request, now);
      next = std::min(next, request->dueUs);
    } else {
      counters_.timeouts.fetch_add(1, std::memory_order_relaxed);
      Finish(*request, OutcomeKind::kTimeout, nullptr, now);
      rescan = true;
    }
  }
  if (!rescan) return next;
  // A request given up freed its Identifier for one that waited (Release), or a probe went out:
  // started now, its first retransmission may be due before the `next` found above.
  for (auto& entry : destinations_) {
    for (auto& slot : entry.second->slots) {
      if (slot) next = std::min(next, slot->dueUs);
    }
  }
  return next;
}

void RadiusClientEngine::SendProbe(Outstanding& parent, uint64_t now) {
  // A probe takes no place in line: with every Identifier out, it is not sent.
  if (parent.destination->used == 256) return;
  counters_.secretProbes.fetch_add(1, std::memory_order_relaxed);
  auto probe = std::make_unique<Outstanding>();
  probe->probe = true;
  probe->parent = parent.request.id;
  probe->target = parent.target;
  ClientRequest& spec = probe->request;
  spec.messageAuthenticator = false;
  spec.requireMessageAuthenticator = false;
  spec.answerCodes = parent.request.answerCodes;
  spec.timeoutMs = parent.request.timeoutMs;
  spec.tries = 1;
  spec.attributes.push_back({kUserName, parent.request.probeUserName});
  Start(std::move(probe), now);
}

RadiusClientEngine::Outstanding* RadiusClientEngine::AnsweredAnother(const Destination& destination,
                                                                      const RequestView& reply) const {
  for (const auto& slot : destination.slots) {
    if (!slot || slot->identifier == reply.identifier || !slot->request.answerCodes.test(reply.code)) continue;
    if (ResponseAuthenticatorValid(reply, slot->requestAuthenticator, *slot->target->secret)) return slot.get();
  }
  return nullptr;
}

void RadiusClientEngine::Stray(Destination& destination) {
  counters_.repliesStray.fetch_add(1, std::memory_order_relaxed);
  destination.strays++;
}

void RadiusClientEngine::OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t now) {
  Source server = from;
  server.link = 0;
  auto found = destinations_.find(KeyOf(server));
  if (found != destinations_.end() && size >= 2) {
    OnReply(*found->second, data, size, now);
    return;
  }
  if (found != destinations_.end()) {  // too short to name a request
    counters_.repliesUnexpected.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // From a server's address but another port (RFC 2865 §3 has the reply come from the port the
  // request went to): a stray of every server at that address with requests out (an engine that
  // lives long knows servers long gone), or of the first one there when none has.
  server.port = 0;
  const auto address = KeyOf(server);
  auto sameAddress = [&](auto at) {
    return at != destinations_.end() && std::memcmp(at->first.data(), address.data(), 17) == 0;
  };
  // Not `near`: Windows' headers define it (and `far`) as nothing.
  auto first = destinations_.lower_bound(address);
  bool counted = false;
  for (auto at = first; sameAddress(at); ++at) {
    if (at->second->server.link != 0 || at->second->used == 0) continue;
    at->second->strays++;
    counted = true;
  }
  if (!counted && sameAddress(first) && first->second->server.link == 0) {
    first->second->strays++;
    counted = true;
  }
  (counted ? counters_.repliesStray : counters_.repliesUnexpected).fetch_add(1, std::memory_order_relaxed);
}

void RadiusClientEngine::OnReply(Destination& destination, const uint8_t* data, size_t size, uint64_t now) {
  // RADIUS/1.1 (a stream: every packet framed is 20 bytes at least): by its Token's slot octet,
  // and the whole Token must be the request's, or it answers nothing we sent.
  Outstanding* request = destination.slots[destination.radius11 ? data[7] : data[1]].get();
  if (destination.radius11 && request != nullptr && !SameBytes(data + 4, request->requestAuthenticator, kTokenLength)) {
    request = nullptr;
  }
  RequestView reply;
  if (!ReadRequest(data, size, &reply)) {
    if (request != nullptr) {
      counters_.repliesMalformed.fetch_add(1, std::memory_order_relaxed);
      request->tally.malformed++;
      return;
    }
    // No Identifier to go by: each request to that server may tell of a server that answers
    // only with datagrams that are not RADIUS.
    counters_.repliesUnexpected.fetch_add(1, std::memory_order_relaxed);
    for (auto& slot : destination.slots) {
      if (slot) slot->tally.malformed++;
    }
    return;
  }
  // A reply is verified once, against the request under its Identifier, or not at all.
  if (request == nullptr || !request->request.answerCodes.test(reply.code)) {
    Stray(destination);
    return;
  }
  ReplyCheck check = CheckReply(reply, request->requestAuthenticator, *request->target->secret,
                                request->request.requireMessageAuthenticator);
  switch (check) {
    case ReplyCheck::kValid:
      if (!request->probe) counters_.repliesAccepted.fetch_add(1, std::memory_order_relaxed);
      break;
    case ReplyCheck::kMessageAuthenticatorMissing:
      // The secret is right, the server merely vulnerable: never blamed on the secret.
      counters_.repliesWithoutMessageAuthenticator.fetch_add(1, std::memory_order_relaxed);
      request->tally.messageAuthenticatorMissing++;
      break;
    case ReplyCheck::kMessageAuthenticatorInvalid:
      counters_.repliesUnauthenticated.fetch_add(1, std::memory_order_relaxed);
      request->tally.messageAuthenticatorInvalid++;
      break;
    case ReplyCheck::kBadResponseAuthenticator:
      counters_.repliesUnauthenticated.fetch_add(1, std::memory_order_relaxed);
      // A reply that verifies as another request's answer proves the secret right: the server
      // answered under the wrong Identifier. Only one that verifies against none blames the
      // secret. An MD5 per request out to the server, paid for a reply that failed already, and
      // never for a load run's (its rate is the point, and its outcome no error's words).
      if (!request->probe && !request->load) {
        if (Outstanding* answered = AnsweredAnother(destination, reply)) {
          answered->tally.misaddressed++;
          return;
        }
      }
      request->tally.unauthenticated++;
      break;
  }
  if (request->probe) {
    // Any verified Response Authenticator proves the secret; only a wrong one disproves it, and
    // not when it verifies as the reply to another request out to the server (a server that
    // answers under shifted Identifiers): the one reply a probe takes may cost an MD5 per request.
    if (check == ReplyCheck::kBadResponseAuthenticator && AnsweredAnother(destination, reply) != nullptr) {
      Stray(destination);
      return;
    }
    uint32_t parentId = request->parent;
    Release(*request);
    auto parent = byId_.find(parentId);
    if (check == ReplyCheck::kBadResponseAuthenticator && parent != byId_.end()) {
      parent->second->tally.unauthenticated++;
      Finish(*parent->second, OutcomeKind::kSecretMismatch, nullptr, now);
    }
    return;
  }
  if (check == ReplyCheck::kValid) Finish(*request, OutcomeKind::kReply, &reply, now);
}

void RadiusClientEngine::Finish(Outstanding& request, OutcomeKind kind, const RequestView* reply, uint64_t now) {
  if (request.load) {
    // Answered: counted by the server's verdict, no outcome; unanswered: an outcome as ever.
    uint64_t latencyUs = now - request.launchedUs;
    if (reply != nullptr) {
      Release(request);
      LoadFinished(reply, latencyUs);
      return;
    }
    LoadFinished(nullptr, latencyUs);
  }
  ClientOutcome outcome = std::move(request.tally);
  outcome.stray = static_cast<uint32_t>(std::min<uint64_t>(request.destination->strays - request.strayAtStart, UINT32_MAX));
  outcome.id = request.request.id;
  outcome.kind = kind;
  outcome.elapsedMs = static_cast<double>(now - request.startedUs) / 1000.0;
  if (reply != nullptr) {
    outcome.code = reply->code;
    outcome.identifier = reply->identifier;
    std::memcpy(outcome.authenticator.data(), reply->authenticator(), kAuthenticatorLength);
    outcome.attributes.reserve(reply->attributes.size());
    for (const AttributeView& attribute : reply->attributes) {
      const uint8_t* value = reply->value(attribute);
      outcome.attributes.push_back({attribute.type, Bytes(value, value + attribute.length)});
      Bytes clear;  // the key, when this is one
      if (attribute.type == kVendorSpecific && IsMppeKey(value, attribute.length) &&
          RevealMppeKey(value, attribute.length, *request.target->secret, request.requestAuthenticator, &clear)) {
        outcome.keys.push_back(std::move(clear));
      }
      if (attribute.type == kTunnelPassword &&
          RevealTunnelPassword(value, attribute.length, *request.target->secret, request.requestAuthenticator, &clear)) {
        outcome.tunnelPasswords.push_back(std::move(clear));
      }
    }
  }
  if (reply != nullptr) {
    switch (JoinEapMessage(*reply, &outcome.eap)) {
      case EapMessage::kAbsent:
        break;
      case EapMessage::kWhole:
        outcome.hasEap = true;
        break;
      case EapMessage::kStart:
      case EapMessage::kMalformed:
        outcome.eapMalformed = "its EAP-Message attributes do not join into one EAP packet (the EAP Length field disagrees)";
        break;
    }
  }
  Release(request);
  {
    // Held while the sink is told, so once SetForwardSink has ended it nothing calls it again.
    std::lock_guard<std::mutex> sinkLock(forwardSinkLock_);
    if (forwardSink_ && (outcome.id & kForwardedId) != 0) {
      {
        std::lock_guard<std::mutex> lock(outboxLock_);
        forwarded_.push_back(std::move(outcome));
      }
      forwardSink_();
      return;
    }
  }
  std::lock_guard<std::mutex> lock(outboxLock_);
  events_.outcomes.push_back(std::move(outcome));
}

void RadiusClientEngine::SetForwardSink(std::function<void()> notify) {
  std::lock_guard<std::mutex> lock(forwardSinkLock_);
  forwardSink_ = std::move(notify);
}

std::vector<ClientOutcome> RadiusClientEngine::TakeForwarded() {
  std::lock_guard<std::mutex> lock(outboxLock_);
  std::vector<ClientOutcome> taken;
  taken.swap(forwarded_);
  return taken;
}

void RadiusClientEngine::Release(Outstanding& request) {
  Destination& destination = *request.destination;
  if (!request.probe && !request.load) byId_.erase(request.request.id);
  destination.slots[request.identifier].reset();  // `request` is gone from here on
  destination.used--;
  if (destination.waiting.empty()) return;
  std::unique_ptr<Outstanding> next = std::move(destination.waiting.front());
  destination.waiting.pop_front();
  Start(std::move(next), RadiusLoop::NowUs());
}

uint64_t RadiusClientEngine::OnTurn(uint64_t now) {
  TakeInbox(now);
  uint64_t next = OnClock(now);
  // After the clock: a load run that its timeouts just emptied ends (or tops up) now.
  return std::min(next, LoadTopUp(now));
}

bool RadiusClientEngine::TellJs() {
  std::lock_guard<std::mutex> lock(outboxLock_);
  return !events_.empty();
}

}  // namespace eaphost::radius
