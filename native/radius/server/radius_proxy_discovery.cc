// The proxy's dynamic discovery (RFC 7585; radius_handler_proxy.h): a realm no route names, when
// discovery routes were given (and no "*" route, which wins), is asked of JS's discovery
// (lib/radius/server-proxy-discovery.ts: NAPTR, SRV, A/AAAA behind a bounded cache). Its requests
// wait for the one answer; JS binds the homes it found (RFC 7585 §3.4's order, a few at most) to
// discovery routes (RadSec homes over TLS or DTLS, each connected as any radsec:// or dtls://
// home is), which are then the realm's pool for the answer's lifetime: failover and health as a
// configured pool's (radius_proxy_pool.cc). Or JS says why none was found, and every request
// waiting is refused at once with that reason: an Access-Reject with a Reply-Message, or over
// RadSec a Protocol-Error with Error-Cause 502 Request Not Routable.
#include <algorithm>
#include <string>
#include <utility>

#include "radius_handler_proxy.h"

namespace eaphost::radius {

namespace {

// A realm JS may look up: what a DNS name may hold (letters, digits, hyphens, dots; an
// internationalized realm in its A-label form). Anything else never leaves the engine.
bool DiscoverableRealm(const std::string& realm) {
  if (realm.size() > 253) return false;
  return std::all_of(realm.begin(), realm.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

bool SameServer(const Source& a, const Source& b) {
  return a.family == b.family && a.port == b.port && std::equal(a.address, a.address + 16, b.address);
}

}  // namespace

ProxyHandler::Pool* ProxyHandler::DiscoveredPool(const std::string& realm, uint64_t nowMs) {
  auto bound = discovered_.find(realm);
  if (bound == discovered_.end()) return nullptr;
  if (bound->second.expiresMs > nowMs) return &pools_[bound->second.pool];
  // Its answer's lifetime is over: asked again (its home stays bound until JS binds another).
  discovered_.erase(bound);
  return nullptr;
}

void ProxyHandler::AwaitDiscovery(std::unique_ptr<Proxied> proxied, const std::string& realm, uint64_t nowMs,
                                  Outbox* out) {
  if (!DiscoverableRealm(realm)) {
    DiscoveryReject(*proxied,
                    "discovery found no home server for realm " + QuotedRealm(realm) +
                        ": invalid-realm: not a DNS name (letters, digits, hyphens and dots; an internationalized "
                        "realm in its A-label form)",
                    nowMs, out);
    return;
  }
  if (awaiting_.size() >= lane_.Settings().maxConversations) {
    ProxyReject(*proxied, "the proxy has " + std::to_string(awaiting_.size()) + " requests waiting for discovery",
                nowMs, out);
    return;
  }
  std::vector<uint32_t>& ids = awaitingRealm_[realm];
  // One lookup per realm: the requests that come while it is under way wait for its answer.
  if (ids.empty()) lane_.DiscoverRealm(realm);
  const uint32_t id = proxied->forward.id;
  ids.push_back(id);
  awaiting_.emplace(id, std::move(proxied));
}

void ProxyHandler::DiscoveryReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out) {
  lane_.Counters().proxyDiscoveryRefused++;
  ProxyReject(proxied, reason, nowMs, out, true);
}

uint64_t ProxyHandler::ClockDiscovery(uint64_t nowMs, Outbox* out) {
  uint64_t next = UINT64_MAX;
  if (awaiting_.empty()) return next;
  std::vector<std::pair<std::string, uint32_t>> due;
  for (const auto& [realm, ids] : awaitingRealm_) {
    for (uint32_t id : ids) {
      auto at = awaiting_.find(id);
      if (at == awaiting_.end()) continue;
      if (at->second->deadlineMs <= nowMs) {
        due.emplace_back(realm, id);
      } else {
        next = std::min(next, at->second->deadlineMs);
      }
    }
  }
  for (const auto& [realm, id] : due) {
    std::unique_ptr<Proxied> lapsed = std::move(awaiting_[id]);
    awaiting_.erase(id);
    std::vector<uint32_t>& ids = awaitingRealm_[realm];
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    if (ids.empty()) awaitingRealm_.erase(realm);
    DiscoveryReject(*lapsed,
                    "discovery found no home server for realm " + QuotedRealm(realm) + ": timeout: no answer within " +
                        std::to_string(lane_.Settings().proxyTimeoutMs) + " ms",
                    nowMs, out);
  }
  return next;
}

void ProxyHandler::Unbind(const ProxyRoute& route, bool always) {
  for (auto at = discovered_.begin(); at != discovered_.end();) {
    const Pool& pool = pools_[at->second.pool];
    const bool holds = std::find(pool.routes.begin(), pool.routes.end(), &route) != pool.routes.end();
    // A pool of several keeps its realm while one of its homes is not dead: the pool fails over.
    const bool lost = always || std::all_of(pool.routes.begin(), pool.routes.end(), [&](const ProxyRoute* each) {
                        return pool.routes.size() == 1 || homes_[each->home]->health.state == HomeState::kDead;
                      });
    at = holds && lost ? discovered_.erase(at) : std::next(at);
  }
}

std::string ProxyHandler::Unusable(const DiscoveredHome& found) const {
  if (!found.error.empty()) return found.error;
  if (found.homes.empty()) return "no home";
  for (size_t i = 0; i < found.homes.size(); ++i) {
    const uint32_t route = found.homes[i].route;
    if (route >= routes_.size() || !routes_[route].discovery) return "no discovery route " + std::to_string(route);
    for (size_t j = 0; j < i; ++j) {
      if (found.homes[j].route == route) return "discovery route " + std::to_string(route) + " given twice";
    }
  }
  return {};
}

void ProxyHandler::OnDiscovered(DiscoveredHome& found, uint64_t nowMs, Outbox* out) {
  std::vector<std::unique_ptr<Proxied>> waiting;
  auto named = awaitingRealm_.find(found.realm);
  if (named != awaitingRealm_.end()) {
    for (uint32_t id : named->second) {
      auto at = awaiting_.find(id);
      if (at == awaiting_.end()) continue;
      waiting.push_back(std::move(at->second));
      awaiting_.erase(at);
    }
    awaitingRealm_.erase(named);
  }
  const std::string why = Unusable(found);
  if (!why.empty()) {
    for (const auto& proxied : waiting) {
      DiscoveryReject(*proxied, "discovery found no home server for realm " + QuotedRealm(found.realm) + ": " + why,
                      nowMs, out);
    }
    return;
  }
  // The realm's homes are one pool (its first route's), tried in the order found (RFC 7585 §3.4):
  // the pools' failover and health, as a configured REALM=URL,URL pool's.
  const size_t index = discoveryPool_[found.homes.front().route];
  Pool& pool = pools_[index];
  std::vector<const ProxyRoute*> bound;
  for (const DiscoveredHome::Home& each : found.homes) {
    ProxyRoute& route = routes_[each.route];
    ProxyHome& home = *homes_[route.home];
    if (route.realm != found.realm || route.url != each.url || !SameServer(route.server, each.server) ||
        route.transport != each.transport) {
      // Another home now, or another realm's: what is out on the one it held is refused, and the
      // realm it held is discovered again when next asked for.
      Unbind(route, true);
      RefuseHome(route.home,
                 "home server " + route.url + " of realm " + QuotedRealm(route.realm) +
                     " was replaced by a discovery (the proxy holds a bounded number of discovered homes)",
                 nowMs, out);
      home.link = ProxyHome::Link::kNone;
      home.target = 0;
      home.health = HomeHealth();
      home.published.store(0, std::memory_order_relaxed);
      if (route.url != each.url) {
        // Another home's series: its counts start from none.
        std::lock_guard<std::mutex> lock(urlLock_);
        home.url = each.url;
        home.counts.Reset();
      }
      route.realm = found.realm;
      route.url = each.url;
      route.server = each.server;
      route.transport = each.transport;
    }
    bound.push_back(&route);
  }
  for (const ProxyRoute* held : pool.routes) {
    if (std::find(bound.begin(), bound.end(), held) != bound.end()) continue;
    // A home the realm no longer has: unbound, what is out on it refused.
    ProxyRoute& route = routes_[RouteIndex(*held)];
    RefuseHome(route.home, "home server " + route.url + " is no longer found for realm " + QuotedRealm(route.realm),
               nowMs, out);
    route.realm.clear();
    route.url.clear();
  }
  pool.routes = bound;
  for (const ProxyRoute* route : bound) homes_[route->home]->pooled = bound.size() > 1;
  discovered_[found.realm] = {index, nowMs + std::max<uint64_t>(found.expiresInMs, 1)};
  for (auto& proxied : waiting) Route(std::move(proxied), pool, nowMs, out);
}

}  // namespace eaphost::radius
