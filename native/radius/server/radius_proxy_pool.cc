// The proxy's pools (radius_handler_proxy.h): a realm's homes in order, each judged alive, zombie
// or dead (radius_proxy_health.h). A new request goes to the first alive home (failover) or the
// alive one with the fewest requests out (balance); none alive: the zombie heard from last, else
// the dead one heard from last.
// A conversation's later rounds go to the home whose Access-Challenge carried its State (the EAP
// state lives there): never elsewhere, and when that home is dead, an Access-Reject saying so. A
// home judged zombie gives up its first-round requests (no State: nothing of them lives on it) to
// another alive home of their pool, each with what is left of its 4.5 s; the others wait there.
// A quiet zombie or dead UDP home is sent a Status-Server (RFC 5997) now and then; over RadSec the
// connection's own Status-Server watches the link.
#include <algorithm>
#include <string>
#include <utility>

#include "radius_handler_proxy.h"

namespace eaphost::radius {

std::string StateOf(const RequestView& request) {
  const AttributeView* state = request.Find(kState);
  if (state == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(request.value(*state)), state->length);
}

ClientRequest CopyOf(const ClientRequest& request) {
  ClientRequest copy;
  copy.id = request.id;
  copy.target = request.target;
  copy.code = request.code;
  copy.attributes = request.attributes;
  copy.eapMessage = request.eapMessage;
  copy.hasUserPassword = request.hasUserPassword;
  copy.userPassword = request.userPassword;
  copy.messageAuthenticator = request.messageAuthenticator;
  copy.requireMessageAuthenticator = request.requireMessageAuthenticator;
  copy.answerCodes = request.answerCodes;
  copy.tries = request.tries;
  copy.timeoutMs = request.timeoutMs;
  return copy;
}

uint32_t ProxyHandler::NextId() {
  // Below kForwardedId: a RadSec home's client engine is JS's too, and that bit marks ours there.
  uint32_t id = 0;
  do id = lastProxied_ = (lastProxied_ + 1) & ~kForwardedId;
  while (id == 0 || proxied_.count(id) != 0 || probes_.count(id) != 0 || moved_.count(id) != 0 ||
         awaiting_.count(id) != 0);
  return id;
}

const ProxyRoute* ProxyHandler::Choose(Pool& pool, const std::string& state, std::string* refusal) {
  if (pool.routes.size() == 1) return pool.routes.front();
  auto tied = state.empty() ? ties_.end() : ties_.find(state);
  if (tied != ties_.end()) {
    const ProxyHome& home = *homes_[tied->second.home];
    if (home.health.state == HomeState::kDead) {
      lane_.Counters().proxyFailovers++;
      homes_[tied->second.home]->counts.FailedOver();
      *refusal = "home server " + home.route->url +
                 " is dead: its conversation cannot move to another home server (its EAP state is there)";
      return nullptr;
    }
    for (const ProxyRoute* route : pool.routes) {
      if (route->home == tied->second.home) return route;
    }
  }
  const ProxyRoute* chosen = nullptr;
  for (HomeState wanted : {HomeState::kAlive, HomeState::kZombie, HomeState::kDead}) {
    const size_t count = pool.routes.size();
    for (size_t i = 0; i < count; ++i) {
      const ProxyRoute* route = pool.routes[pool.balance ? (pool.next + i) % count : i];
      const ProxyHome& home = *homes_[route->home];
      if (home.health.state != wanted) continue;
      const ProxyHome* best = chosen == nullptr ? nullptr : homes_[chosen->home].get();
      // Alive: the first (failover) or the least busy (balance). Else the one heard from last: a
      // home that is only slow comes back before one that stopped.
      const bool better = best == nullptr || (wanted == HomeState::kAlive ? pool.balance && home.out < best->out
                                                                          : home.health.heardMs > best->health.heardMs);
      if (better) chosen = route;
      if (!pool.balance && wanted == HomeState::kAlive) break;
    }
    if (chosen != nullptr) break;
  }
  if (pool.balance) pool.next = (pool.next + 1) % pool.routes.size();
  const HomeState first = homes_[pool.routes.front()->home]->health.state;
  if (!pool.balance && chosen != pool.routes.front() && first != HomeState::kAlive) {
    lane_.Counters().proxyFailovers++;
    homes_[pool.routes.front()->home]->counts.FailedOver();
  }
  return chosen;
}

std::vector<HomeTally> ProxyHandler::HomeTallies() const {
  std::vector<HomeTally> tallies;
  std::lock_guard<std::mutex> lock(urlLock_);
  for (const auto& home : homes_) {
    if (home->url.empty()) continue;  // a discovery route bound to no home yet
    HomeTally& tally = tallies.emplace_back();
    tally.url = home->url;
    // A discovered home's pool is bound on the engine's thread: its state is not shown, and its
    // pool flag not read (`discovery` is fixed at construction).
    tally.pooled = !home->route->discovery && home->pooled;
    tally.state = home->published.load(std::memory_order_relaxed);
    home->counts.Read(&tally);
  }
  return tallies;
}

void ProxyHandler::CountOutcome(ProxyHome& home, const ClientOutcome& outcome, uint64_t sentMs, uint64_t nowMs) {
  if (outcome.kind == OutcomeKind::kReply) {
    home.counts.Answered(outcome.code, nowMs > sentMs ? nowMs - sentMs : 0);
  } else if (outcome.kind == OutcomeKind::kTimeout) {
    home.counts.TimedOut();
  }
}

void ProxyHandler::Judge(ProxyHome& home, HomeHealth::Change change, uint64_t nowMs, Outbox* out) {
  home.published.store(static_cast<uint8_t>(home.health.state), std::memory_order_relaxed);
  switch (change) {
    case HomeHealth::Change::kNone: return;
    case HomeHealth::Change::kZombie: lane_.Counters().proxyHomesZombie++; break;
    case HomeHealth::Change::kDead: lane_.Counters().proxyHomesDead++; break;
    case HomeHealth::Change::kRevived: lane_.Counters().proxyHomesRevived++; return;
  }
  MoveOff(home, nowMs, out);
}

void ProxyHandler::MoveOff(ProxyHome& home, uint64_t nowMs, Outbox* out) {
  const size_t index = static_cast<size_t>(
      std::find_if(homes_.begin(), homes_.end(), [&](const auto& held) { return held.get() == &home; }) -
      homes_.begin());
  std::vector<uint32_t> moving;
  for (const auto& [id, proxied] : proxied_) {
    if (proxied->route->home == index && proxied->firstRound && pools_[proxied->pool].routes.size() > 1 &&
        proxied->deadlineMs > nowMs + kMinSendMs) {
      moving.push_back(id);
    }
  }
  std::sort(moving.begin(), moving.end(),
            [&](uint32_t a, uint32_t b) { return proxied_[a]->startedMs < proxied_[b]->startedMs; });
  for (uint32_t id : moving) {
    auto found = proxied_.find(id);
    Proxied& proxied = *found->second;
    Pool& pool = pools_[proxied.pool];
    const ProxyRoute* to = nullptr;
    for (const ProxyRoute* route : pool.routes) {
      if (route->home != index && homes_[route->home]->health.state == HomeState::kAlive) {
        if (to == nullptr || (pool.balance && homes_[route->home]->out < homes_[to->home]->out)) to = route;
        if (!pool.balance) break;
      }
    }
    if (to == nullptr) return;  // no other home alive: they wait on where they are
    std::unique_ptr<Proxied> moved = std::move(found->second);
    proxied_.erase(found);
    if (moved->sent) {
      // Its outcome, when it comes, frees its Identifier there (OnProbe).
      moved_.emplace(id, Moved{index, moved->sentMs});
      moved->forward = std::move(moved->spare);
      moved->sent = false;
    }  // else its id in the queue finds no request: skipped
    ClientRequest& forward = moved->forward;
    forward.id = NextId();
    forward.target = to->target;
    // Our Proxy-State (the last attribute) ends with the request's id.
    Bytes& own = forward.attributes.back().value;
    for (size_t i = 0; i < 4; ++i) own[own.size() - 4 + i] = static_cast<uint8_t>(forward.id >> (24 - 8 * i));
    moved->route = to;
    lane_.Counters().proxyFailovers++;
    home.counts.FailedOver();
    Proxied& placed = *moved;
    proxied_.emplace(forward.id, std::move(moved));
    Place(placed, *homes_[to->home], nowMs);
  }
  Drain(home, nowMs, out);
}

void ProxyHandler::Probe(ProxyHome& home) {
  ClientRequest probe;
  probe.id = NextId();
  probe.code = kStatusServer;
  probe.target = home.route->target;
  static constexpr char kName[] = "eaphost proxy";
  probe.attributes.push_back({kNasIdentifier, Bytes(kName, kName + sizeof(kName) - 1)});
  probe.messageAuthenticator = true;  // RFC 5997 §3: a Status-Server carries one
  probe.requireMessageAuthenticator = false;
  probe.answerCodes.set(kAccessAccept).set(kProtocolError);
  probe.tries = 1;
  probe.timeoutMs = static_cast<uint32_t>(HomeHealth::kProbeTimeoutMs);
  home.health.probeId = probe.id;
  probes_.emplace(probe.id, home.route->home);
  forwards_.push_back({home.route->server.family, 0, std::move(probe)});
}

bool ProxyHandler::OnProbe(ClientOutcome& outcome, uint64_t nowMs, Outbox* out) {
  auto moved = moved_.find(outcome.id);
  if (moved != moved_.end()) {
    // A request moved elsewhere: its answer (ignored) still says the home lives.
    ProxyHome& room = *homes_[moved->second.home];
    CountOutcome(room, outcome, moved->second.sentMs, nowMs);
    moved_.erase(moved);
    if (room.out > 0) room.out--;
    if (outcome.kind == OutcomeKind::kReply) Judge(room, room.health.Heard(nowMs, room.out != 0), nowMs, out);
    Drain(room, nowMs, out);
    return true;
  }
  auto found = probes_.find(outcome.id);
  if (found == probes_.end()) return false;
  ProxyHome& home = *homes_[found->second];
  probes_.erase(found);
  home.health.probeId = 0;
  if (outcome.kind == OutcomeKind::kReply && outcome.code == kAccessAccept) {
    home.health.answersStatus = true;
    Judge(home, home.health.Heard(nowMs, home.out != 0), nowMs, out);
    Drain(home, nowMs, out);
  } else if (outcome.kind != OutcomeKind::kReply && home.health.answersStatus) {
    Judge(home, home.health.Lost(nowMs, home.out != 0), nowMs, out);
  }
  return true;
}

void ProxyHandler::Tied(const Proxied& proxied, const ClientOutcome& outcome, uint64_t nowMs) {
  if (pools_[proxied.pool].routes.size() < 2) return;
  if (outcome.code != kAccessChallenge) {
    // The conversation ends: its State names nothing more.
    if (!proxied.state.empty()) ties_.erase(proxied.state);
    return;
  }
  for (const ClientAttribute& attribute : outcome.attributes) {
    if (attribute.type != kState || attribute.value.empty()) continue;
    if (ties_.size() >= lane_.Settings().maxConversations) return;  // its next round is routed as a new one
    const uint64_t expiresMs = nowMs + lane_.Settings().idleTimeoutMs;
    std::string state(attribute.value.begin(), attribute.value.end());
    ties_[state] = {proxied.route->home, expiresMs};
    tieOrder_.emplace_back(expiresMs, std::move(state));
    return;
  }
}

uint64_t ProxyHandler::ClockHomes(uint64_t nowMs, Outbox* out) {
  while (!tieOrder_.empty() && tieOrder_.front().first <= nowMs) {
    auto found = ties_.find(tieOrder_.front().second);
    if (found != ties_.end() && found->second.expiresMs <= nowMs) ties_.erase(found);
    tieOrder_.pop_front();
  }
  uint64_t next = tieOrder_.empty() ? UINT64_MAX : tieOrder_.front().first;
  for (auto& held : homes_) {
    ProxyHome& home = *held;
    if (!home.pooled) continue;
    Judge(home, home.health.Tick(nowMs), nowMs, out);
    if (home.route->transport == 0 && home.health.ProbeDue(nowMs)) Probe(home);
    next = std::min(next, home.health.NextMs());
  }
  return next;
}

}  // namespace eaphost::radius
