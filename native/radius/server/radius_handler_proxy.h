// The lane as a proxy (radius_handler_proxy.cc): an Access-Request whose User-Name realm a route
// names is forwarded to that realm's home server through the client engine, and the home
// server's reply goes back to the NAS.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "radius_lane_context.h"
#include "radius_proxy_health.h"
#include "radius_proxy_tally.h"

namespace eaphost::radius {

// The request's State attribute (empty without one).
std::string StateOf(const RequestView& request);
// A realm as a Reply-Message may quote it (every byte but printable ASCII as \xHH).
std::string QuotedRealm(const std::string& realm);
// A request as it stands, to send again.
ClientRequest CopyOf(const ClientRequest& request);

class ProxyHandler final : public LaneHandler {
 public:
  // `routes` (the lane's settings', which outlive it): each route's home server is indexed here.
  ProxyHandler(LaneContext& lane, std::vector<ProxyRoute>& routes);
  ~ProxyHandler() override;

  // An Access-Request whose realm a route names: forwarded, or refused (no route); false when it
  // is answered here.
  bool Receive(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               uint64_t nowMs, Outbox* out) override;
  uint64_t Clock(uint64_t nowMs, Outbox* out) override;
  void End() override;
  // Each home's URL, counts (radius_proxy_tally.h) and, of a pooled one, state (HomeState), from
  // any thread: the homes are fixed at construction, each state is published as it changes, and a
  // discovery route's URL under urlLock_ as discovery binds it (none while it is bound to none).
  std::vector<HomeTally> HomeTallies() const;
  // Requests out to home servers or waiting for one, each to be answered by its deadline.
  size_t Outstanding() const { return proxied_.size(); }
  // The realm of a request a route sends to a home server; empty when none does.
  std::string HomeRealm(const RequestView& request, std::string* home);
  // A spooled Accounting-Request (its attributes as they came, in RADIUS's encoding), forwarded as a
  // NAS's is, with no NAS to answer; JS hears whether the home acknowledged it (ForJs).
  // `home`: the URL it was spooled for; it goes there while its realm's pool names that home.
  void Spool(uint32_t id, const Bytes& attributes, uint32_t waitedSeconds, const std::string& home, uint64_t nowMs,
             Outbox* out);
  // Requests forwarded since the last call, for the engine's client engine.
  std::vector<ProxyForward> TakeForwards();
  // A home server's answer, or why there is none: the NAS gets its reply.
  void OnProxied(ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  // A RadSec home's connection, as JS opened it for `route` (a route to it): its target in JS's
  // client engine, and the queue behind it sent; or not (`error`): every request for it refused.
  void OnHomeLink(uint32_t route, bool up, uint32_t target, const std::string& error, uint64_t nowMs, Outbox* out);
  // What JS's discovery found for a realm DiscoverRealm asked about (radius_proxy_discovery.cc):
  // its requests waiting go to the home bound to a discovery route, or are refused with why.
  void OnDiscovered(DiscoveredHome& found, uint64_t nowMs, Outbox* out);

 private:
  // An Access-Request forwarded to a home server: what the NAS's reply needs.
  struct Proxied {
    Pending pending;
    const ProxyRoute* route = nullptr;
    int eapId = -1;  // the EAP-Response's Identifier; -1: the request carried no EAP
    ConversationRecord record;
    uint64_t startedMs = 0;
    uint64_t sentMs = 0;                 // handed to the client engine, for its home's latency
    uint64_t deadlineMs = 0;             // the Reject for a silent home server is due then, queued or sent
    ClientRequest forward;               // until it is handed to the client engine
    bool sent = false;                   // handed to the client engine, counted in its home's `out`
    size_t pool = 0;                     // its realm's pool (pools_)
    std::string state;                   // the request's State, if any
    bool firstRound = false;             // no State: nothing of it lives on a home yet, so it may move to another
    ClientRequest spare;                 // a first-round request of a pool of several, as sent: to send elsewhere
    bool accounting = false;             // an Accounting-Request: acknowledged once its home has, never refused
    uint32_t spoolId = 0;                // a spooled Accounting-Request (JS's id): JS hears of it, no NAS does
    const ProxyRoute* pinned = nullptr;  // a spooled one's home: it goes there, never to another

    Proxied(const Pending& request, int id, uint64_t nowMs) : pending(request), eapId(id), startedMs(nowMs) {}
  };

  // A home server's share of the proxy: its requests out, at most its 256 Identifiers, and those
  // waiting for room (by id, oldest first; bounded, each answered by its deadline).
  // A RadSec home's requests go out once JS has its connection up (`link`), on `target` there.
  struct ProxyHome {
    const ProxyRoute* route = nullptr;  // the first route to it (its URL, for Reply-Messages)
    size_t out = 0;
    std::deque<uint32_t> queue;
    enum class Link : uint8_t { kNone, kAsked, kUp } link = Link::kNone;
    uint32_t target = 0;
    bool pooled = false;  // in a pool of several homes: its health is judged (HomeHealth)
    HomeHealth health;
    std::atomic<uint8_t> published{0};  // health.state, for HomeTallies
    HomeCounters counts;
    std::string url;  // the route's, as HomeTallies reads it (urlLock_)
    bool Ready() const { return route->transport == 0 || link == Link::kUp; }
  };

  // A realm's homes (routes naming the same realm, in order: the first preferred) and how new
  // requests are spread over them: failover (the first alive) or balance (the alive one with the
  // fewest requests out).
  struct Pool {
    std::vector<const ProxyRoute*> routes;
    bool balance = false;
    size_t next = 0;  // balance: where the next tie-break starts
  };
  // A conversation's home, by the State its home's Access-Challenge carried: its next rounds go there.
  struct Tie {
    size_t home = 0;
    uint64_t expiresMs = 0;
  };

  // A realm discovery bound to a home, until `expiresMs`: its discovery route's pool.
  struct Discovered {
    size_t pool = 0;
    uint64_t expiresMs = 0;
  };

  // `notRoutable`: discovery found no home (DiscoveryReject): over RadSec a Protocol-Error instead.
  void ProxyReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out,
                   bool notRoutable = false);
  // The request goes to a home of `pool`, or is refused (no home to take it, the proxy or the home full).
  void Route(std::unique_ptr<Proxied> proxied, Pool& pool, uint64_t nowMs, Outbox* out);
  // Discovery (radius_proxy_discovery.cc): the pool a realm is bound to now, or none; a request
  // waiting for its realm's discovery; one refused because discovery found no home (an
  // Access-Reject, or over RadSec a Protocol-Error with Error-Cause 502).
  Pool* DiscoveredPool(const std::string& realm, uint64_t nowMs);
  void AwaitDiscovery(std::unique_ptr<Proxied> proxied, const std::string& realm, uint64_t nowMs, Outbox* out);
  void DiscoveryReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out);
  // Requests still waiting for a discovery at their deadline (JS answers within its own bound:
  // this is the backstop) refused; the next deadline.
  uint64_t ClockDiscovery(uint64_t nowMs, Outbox* out);
  // Every request of `home` refused with `reason` (its connection went down, or it was unbound).
  void RefuseHome(size_t home, const std::string& reason, uint64_t nowMs, Outbox* out);
  // The realms bound to a discovered pool holding `route` forget it (discovered again when next
  // asked for): `always`, or when no home of that pool is left but dead ones.
  void Unbind(const ProxyRoute& route, bool always);
  // Why JS's answer cannot be bound (its error, or a route that is no discovery route); empty when it can.
  std::string Unusable(const DiscoveredHome& found) const;
  // The pool of a realm (or of "*"); null when no route names either.
  Pool* PoolOf(const std::string& realm);
  // A request of `pool` (null: no route) forwarded to its home, or refused.
  void Forward(std::unique_ptr<Proxied> proxied, const RequestView& request, Pool* pool, const std::string& realm,
               const SharedSecret& secret, uint64_t nowMs, Outbox* out);
  // The home acknowledged an Accounting-Request: the NAS's Accounting-Response goes out.
  void Acknowledge(const Proxied& proxied, const ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  void IndexHomes();
  // The route's index, as JS names it.
  uint32_t RouteIndex(const ProxyRoute& route) const { return static_cast<uint32_t>(&route - routes_.data()); }
  void Dispatch(Proxied& proxied, ProxyHome& home, uint64_t nowMs);
  // A home server's queue moved on: room taken by the next, or the deadline passed (a Reject).
  void Drain(ProxyHome& home, uint64_t nowMs, Outbox* out);
  bool ProxyRefused(Proxied& proxied, ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  // Pools (radius_proxy_pool.cc): the home a request goes to, or why none (`refusal`).
  const ProxyRoute* Choose(Pool& pool, const std::string& state, std::string* refusal);
  void Place(Proxied& proxied, ProxyHome& home, uint64_t nowMs);
  uint32_t NextId();
  void Judge(ProxyHome& home, HomeHealth::Change change, uint64_t nowMs, Outbox* out);
  void MoveOff(ProxyHome& home, uint64_t nowMs, Outbox* out);
  void Probe(ProxyHome& home);
  // The outcome of a Status-Server, or of a request moved off its home: true when it was one.
  bool OnProbe(ClientOutcome& outcome, uint64_t nowMs, Outbox* out);
  void Tied(const Proxied& proxied, const ClientOutcome& outcome, uint64_t nowMs);
  uint64_t ClockHomes(uint64_t nowMs, Outbox* out);
  // A request's outcome from `home`, sent at `sentMs`: an answer or a loss, counted.
  static void CountOutcome(ProxyHome& home, const ClientOutcome& outcome, uint64_t sentMs, uint64_t nowMs);

  LaneContext& lane_;
  std::vector<ProxyRoute>& routes_;
  // A spooled request's stand-ins for its NAS: nothing is ever sent to it or signed with it.
  Source spoolSource_;
  SharedSecret spoolSecret_{Bytes()};
  // Requests out to home servers, by the id their ClientRequest carries.
  std::unordered_map<uint32_t, std::unique_ptr<Proxied>> proxied_;
  uint32_t lastProxied_ = 0;
  std::vector<ProxyForward> forwards_;
  std::vector<std::unique_ptr<ProxyHome>> homes_;
  std::vector<Pool> pools_;
  std::unordered_map<std::string, size_t> poolOf_;  // by realm
  std::unordered_map<uint32_t, size_t> probes_;     // Status-Servers out, by id: their home
  // Requests moved off a zombie while out to it, by their old id: its Identifier stays taken (its
  // `out`) until the client engine gives their outcome, counted as its answer or its loss.
  struct Moved {
    size_t home = 0;
    uint64_t sentMs = 0;
  };
  std::unordered_map<uint32_t, Moved> moved_;
  std::unordered_map<std::string, Tie> ties_;              // by State
  std::deque<std::pair<uint64_t, std::string>> tieOrder_;  // by expiry
  size_t proxyQueued_ = 0;                                 // in every home's queue
  uint64_t proxyQueueDueMs_ = 0;                           // no queue's first deadline is before this
  std::array<uint8_t, 8> instance_{};                      // in our Proxy-State: a request back with it has looped
  // Discovery (when a route is a discovery route): realms bound to a discovery route's pool, and
  // requests waiting for their realm's discovery (by id, and their ids by realm).
  bool discovering_ = false;
  std::unordered_map<std::string, Discovered> discovered_;
  std::unordered_map<uint32_t, size_t> discoveryPool_;  // each discovery route's own pool, by route
  std::unordered_map<uint32_t, std::unique_ptr<Proxied>> awaiting_;
  std::unordered_map<std::string, std::vector<uint32_t>> awaitingRealm_;
  mutable std::mutex urlLock_;  // each ProxyHome's url, bound again by discovery
};

}  // namespace eaphost::radius
