// The proxy's dynamic discovery (RFC 7585; radius_handler_proxy.h): a realm no route names, when
// discovery routes were given (and no "*" route, which wins), is asked of JS's discovery
// (lib/radius/server-proxy-discovery.ts: NAPTR, SRV, A/AAAA behind a bounded cache). Its requests
// wait for the one answer; JS binds the home it found to one of the discovery routes (a RadSec
// home over TLS, connected as any radsec:// home is) for the answer's lifetime, or says why none
// was found, and every request waiting is refused at once with that reason: an Access-Reject with
// a Reply-Message, or over RadSec a Protocol-Error with Error-Cause 502 Request Not Routable.
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
  const bool usable = found.error.empty() && found.route < routes_.size() && routes_[found.route].discovery;
  if (!usable) {
    const std::string why = found.error.empty() ? "no discovery route " + std::to_string(found.route) : found.error;
    for (const auto& proxied : waiting) {
      DiscoveryReject(*proxied, "discovery found no home server for realm " + QuotedRealm(found.realm) + ": " + why,
                      nowMs, out);
    }
    return;
  }
  ProxyRoute& route = routes_[found.route];
  ProxyHome& home = *homes_[route.home];
  if (route.realm != found.realm || route.url != found.url || !SameServer(route.server, found.server)) {
    // Another home now, or another realm's: what is out on the one it held is refused, and the
    // realm it held is discovered again when next asked for.
    RefuseHome(route.home,
               "home server " + route.url + " of realm " + QuotedRealm(route.realm) +
                   " was replaced by a discovery (the proxy holds a bounded number of discovered homes)",
               nowMs, out);
    home.link = ProxyHome::Link::kNone;
    home.target = 0;
    if (route.url != found.url) {
      // Another home's series: its counts start from none.
      std::lock_guard<std::mutex> lock(urlLock_);
      home.url = found.url;
      home.counts.Reset();
    }
    route.realm = found.realm;
    route.url = found.url;
    route.server = found.server;
  }
  const auto pool = static_cast<size_t>(
      std::find_if(pools_.begin(), pools_.end(), [&](const Pool& each) { return each.routes.front() == &route; }) -
      pools_.begin());
  discovered_[found.realm] = {pool, nowMs + std::max<uint64_t>(found.expiresInMs, 1)};
  for (auto& proxied : waiting) Route(std::move(proxied), pools_[pool], nowMs, out);
}

}  // namespace eaphost::radius
