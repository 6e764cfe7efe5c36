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
//
// Each home server has a window of 256 requests out (its Identifiers) and a queue of 1024 behind
// it; past both a request is refused at once (home server busy), so one silent home server holds
// no other's requests. A request's 4.5 s run from when it came in, queued or sent: one still
// queued at its deadline gets the same Reject a silent home server's does. A request that comes
// back carrying our own Proxy-State (this instance's: random per start) has looped, and is
// refused, never forwarded again.
//
// Several routes naming one realm are a pool of home servers (radius_proxy_pool.cc): which home a
// request goes to, each home judged alive, zombie or dead (radius_proxy_health.h), and a
// conversation kept on the home that holds its EAP state.
#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "radius_handler_accounting.h"
#include "radius_handler_proxy.h"
#include "radius_policy.h"

namespace eaphost::radius {

namespace {

constexpr uint8_t kEapFailureCode = 4;
constexpr uint8_t kEapResponseCode = 2;
// The proxy's Proxy-State: "eaphost", this instance's 8 random bytes and the request's id
// (big-endian). The reply's Proxy-States are all stripped: the NAS's go back from its request, as
// they came.
constexpr char kProxyStateTag[] = "eaphost";
constexpr size_t kProxyStateTagLength = sizeof(kProxyStateTag) - 1;
constexpr size_t kOwnProxyStateLength = kProxyStateTagLength + 8 + 4;
// A home server's requests out (one Identifier space, RFC 2865 §3) and waiting behind them.
constexpr size_t kHomeWindow = 256;
constexpr size_t kHomeQueue = 4 * kHomeWindow;
// A queued request with less time than this left before its deadline is not sent.
constexpr uint64_t kMinSendMs = 100;

// Whether the request carries a Proxy-State this instance added: it has been here before.
bool Looped(const RequestView& request, const std::array<uint8_t, 8>& instance) {
  for (const AttributeView& attribute : request.attributes) {
    const uint8_t* value = request.value(attribute);
    if (attribute.type == kProxyState && attribute.length == kOwnProxyStateLength &&
        std::memcmp(value, kProxyStateTag, kProxyStateTagLength) == 0 &&
        std::memcmp(value + kProxyStateTagLength, instance.data(), instance.size()) == 0) {
      return true;
    }
  }
  return false;
}

// Why a forwarded request has no reply for the NAS: what its home server's datagrams were, if any.
std::string Unanswered(const ClientOutcome& outcome, const std::string& home, uint32_t timeoutMs, uint32_t tries) {
  if (outcome.kind == OutcomeKind::kSecretMismatch || outcome.unauthenticated != 0 ||
      outcome.messageAuthenticatorInvalid != 0) {
    return home + "'s replies do not verify with the secret for it (shared secret mismatch)";
  }
  if (outcome.messageAuthenticatorMissing != 0) {
    return home + " replied without Message-Authenticator to a request carrying EAP (refused: it can be forged)";
  }
  if (outcome.misaddressed != 0) {
    return home + " answered under the wrong Identifier (" + std::to_string(outcome.misaddressed) +
           " replies to this request came under another's)";
  }
  if (outcome.malformed != 0) {
    return home + " sent " + std::to_string(outcome.malformed) +
           " replies that are not RADIUS packets (malformed, or past 4096 bytes)";
  }
  if (outcome.stray != 0) {
    return home + " sent " + std::to_string(outcome.stray) +
           " replies that answered no request out to it (a wrong Identifier or source port)";
  }
  return home + " did not answer within " + std::to_string(timeoutMs) + " ms (" + std::to_string(tries) + " tries)";
}

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

// A realm as a Reply-Message may quote it: printable ASCII as it is, every other byte (control
// characters, escapes, UTF-8 such as U+202E) as \xHH, and '"' and '\' escaped, so a NAS's log or
// a terminal showing the message shows the bytes, never acts on them.
std::string QuotedRealm(const std::string& realm) {
  static const char kHex[] = "0123456789abcdef";
  std::string quoted = "\"";
  for (char c : realm) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '"' || byte == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte >= 0x20 && byte < 0x7f) {
      quoted += c;
    } else {
      quoted += "\\x";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 0xf];
    }
  }
  return quoted + "\"";
}

ProxyHandler::ProxyHandler(LaneContext& lane, std::vector<ProxyRoute>& routes) : lane_(lane), routes_(routes) {
  IndexHomes();
}

ProxyHandler::~ProxyHandler() = default;

void ProxyHandler::IndexHomes() {
  RandomBytes(instance_.data(), instance_.size());
  std::map<std::array<uint8_t, 20>, size_t> seen;
  for (ProxyRoute& route : routes_) {
    if (route.local) continue;
    if (route.discovery) {
      // Its own home and its own pool, bound to a realm when discovery finds one (OnDiscovered).
      discovering_ = true;
      route.home = homes_.size();
      homes_.push_back(std::make_unique<ProxyHome>());
      homes_.back()->route = &route;
      continue;  // its url: none until discovery binds it
    }
    std::array<uint8_t, 20> key{};
    key[0] = static_cast<uint8_t>(route.server.family);
    std::memcpy(key.data() + 1, route.server.address, 16);
    key[17] = static_cast<uint8_t>(route.server.port >> 8);
    key[18] = static_cast<uint8_t>(route.server.port);
    key[19] = route.transport;
    auto [at, added] = seen.emplace(key, homes_.size());
    if (added) {
      homes_.push_back(std::make_unique<ProxyHome>());
      homes_.back()->route = &route;
      homes_.back()->url = route.url;
    }
    route.home = at->second;
  }
  // Routes naming one realm are its pool, in order; the pool's mode is its first route's.
  for (const ProxyRoute& route : routes_) {
    if (route.discovery) {
      discoveryPool_.emplace(RouteIndex(route), pools_.size());
      pools_.emplace_back();
      pools_.back().routes.push_back(&route);
      continue;
    }
    auto [at, added] = poolOf_.emplace(route.realm, pools_.size());
    if (added) {
      pools_.emplace_back();
      pools_.back().balance = route.balance;
    }
    pools_[at->second].routes.push_back(&route);
  }
  for (const Pool& pool : pools_) {
    if (pool.routes.size() < 2) continue;
    for (const ProxyRoute* route : pool.routes) {
      if (!route->local) homes_[route->home]->pooled = true;
    }
  }
}

std::vector<ProxyForward> ProxyHandler::TakeForwards() {
  std::vector<ProxyForward> taken;
  std::swap(taken, forwards_);
  return taken;
}

bool ProxyHandler::Receive(const RequestView& request, const Source& source, const SharedSecret& secret,
                           const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  if (routes_.empty() || (request.code != kAccessRequest && request.code != kAccountingRequest)) return false;
  std::string identity;
  const std::string realm = RealmOf(request, &identity);
  Pool* pool = realm.empty() ? nullptr : PoolOf(realm);
  // No realm, or a local one: answered here, or (nothing answered here) refused below.
  const bool here = realm.empty() || (pool != nullptr && pool->routes.front()->local);
  // An Accounting-Request of a realm routed to a home goes there (RFC 2866 §1.2); any other is
  // answered here (--accounting) or not at all.
  const bool accounting = request.code == kAccountingRequest;
  if (here && (accounting || !lane_.Settings().proxyOnly)) return false;
  if (accounting && (pool == nullptr || !AccountingChecked(lane_, request, source, secret, cacheKey, nowMs, out))) {
    return pool != nullptr;
  }

  uint32_t eapType = request.Has(kUserPassword) ? kMethodPap : 1;
  const int eapId = EapResponseOf(request, &eapType);
  auto proxied =
      std::make_unique<Proxied>(Pending(request, source, secret, cacheKey, eapId < 0 ? 0 : eapId), eapId, nowMs);
  proxied->accounting = accounting;
  proxied->record.client = source.text;
  proxied->record.link = source.link;
  proxied->record.identity.assign(identity.begin(), identity.end());
  proxied->record.eapType = eapType;
  KeepNasAttributes(request, &proxied->record.nasAttributes);
  if (here) {
    ProxyReject(*proxied,
                "no route: " +
                    (realm.empty() ? std::string("the User-Name has no realm (user@realm)")
                                   : "realm " + QuotedRealm(realm) + " is to be answered here") +
                    ", and this server answers nothing itself (it has no users)",
                nowMs, out);
    return true;
  }
  Forward(std::move(proxied), request, pool, realm, secret, nowMs, out);
  return true;
}

ProxyHandler::Pool* ProxyHandler::PoolOf(const std::string& realm) {
  auto named = poolOf_.find(realm);
  if (named == poolOf_.end()) named = poolOf_.find("*");
  return named == poolOf_.end() ? nullptr : &pools_[named->second];
}

std::string ProxyHandler::HomeRealm(const RequestView& request, std::string* home) {
  if (routes_.empty()) return std::string();
  std::string identity;
  std::string realm = RealmOf(request, &identity);
  if (realm.empty()) return realm;
  Pool* pool = PoolOf(realm);
  if (pool == nullptr || pool->routes.front()->local) return std::string();
  if (home != nullptr) {
    // The home a request of the realm goes to now: the spool keeps its order per home, so a
    // home that stopped holds back only what was spooled for it.
    std::string refusal;
    const ProxyRoute* route = Choose(*pool, std::string(), &refusal);
    if (route != nullptr) *home = route->url;
  }
  return realm;
}

void ProxyHandler::Spool(uint32_t id, const Bytes& attributes, uint32_t waitedSeconds, const std::string& home,
                         uint64_t nowMs, Outbox* out) {
  // The request as it came, under a header of no NAS's: the attributes are all that is kept; the
  // time it waited here added to its Acct-Delay-Time (one appended when it has none), as RFC 2866
  // §5.2 has a request sent late say, so its home dates it right.
  Bytes packet(kHeaderLength, 0);
  packet[0] = kAccountingRequest;
  packet.insert(packet.end(), attributes.begin(), attributes.end());
  if (waitedSeconds > 0) {
    bool added = false;
    for (size_t at = kHeaderLength; at + 2 <= packet.size() && packet[at + 1] >= 2; at += packet[at + 1]) {
      if (packet[at] != kAcctDelayTime || packet[at + 1] != 6 || at + 6 > packet.size()) continue;
      const uint64_t delay =
          ((static_cast<uint64_t>(packet[at + 2]) << 24) | (static_cast<uint64_t>(packet[at + 3]) << 16) |
           (static_cast<uint64_t>(packet[at + 4]) << 8) | packet[at + 5]) +
          waitedSeconds;
      const uint32_t capped = delay > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(delay);
      for (int i = 0; i < 4; ++i)
        packet[at + 2 + static_cast<size_t>(i)] = static_cast<uint8_t>(capped >> (24 - 8 * i));
      added = true;
      break;
    }
    if (!added) {
      packet.push_back(kAcctDelayTime);
      packet.push_back(6);
      for (int i = 0; i < 4; ++i) packet.push_back(static_cast<uint8_t>(waitedSeconds >> (24 - 8 * i)));
    }
  }
  RequestView request;
  if (packet.size() > kMaxPacketLength) packet.clear();
  if (!packet.empty()) {
    packet[2] = static_cast<uint8_t>(packet.size() >> 8);
    packet[3] = static_cast<uint8_t>(packet.size());
  }
  if (packet.empty() || !ReadRequest(packet.data(), packet.size(), &request)) return lane_.Spooled(id, false);
  const std::string realm = HomeRealm(request, nullptr);
  Pool* pool = realm.empty() ? nullptr : PoolOf(realm);
  const ReplyKey none(4, spoolSource_.address, 0, 0);
  auto proxied = std::make_unique<Proxied>(Pending(request, spoolSource_, spoolSecret_, none, 0), -1, nowMs);
  proxied->accounting = true;
  proxied->spoolId = id;
  // It goes to the home it was spooled for while the realm's pool names that home (a reload may
  // have changed the route); else to the home the pool picks, as a new request does.
  if (pool != nullptr) {
    for (const ProxyRoute* route : pool->routes) {
      if (route->url == home) proxied->pinned = route;
    }
  }
  Forward(std::move(proxied), request, pool, realm, spoolSecret_, nowMs, out);
}

void ProxyHandler::Forward(std::unique_ptr<Proxied> proxied, const RequestView& request, Pool* pool,
                           const std::string& realm, const SharedSecret& secret, uint64_t nowMs, Outbox* out) {
  const bool accounting = proxied->accounting;
  // Accounting goes only where a route sends its realm: discovery finds homes for Access-Requests.
  if (pool == nullptr && (accounting || !discovering_)) {
    ProxyReject(*proxied,
                "no route: realm " + QuotedRealm(realm) + " is not served here and no default (*) realm is set", nowMs,
                out);
    return;
  }
  if (Looped(request, instance_)) {
    lane_.Counters().proxyLoops++;
    ProxyReject(*proxied,
                "proxy loop: the request came back to this proxy (its own Proxy-State) on its way to " +
                    (pool != nullptr ? pool->routes.front()->url : "realm " + QuotedRealm(realm)),
                nowMs, out);
    return;
  }

  ClientRequest& forward = proxied->forward;
  // Below kForwardedId: a RadSec home's client engine is JS's too, and that bit marks ours there.
  forward.id = NextId();
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kMessageAuthenticator || attribute.type == kUserPassword) continue;
    forward.attributes.push_back(
        {attribute.type, Bytes(request.value(attribute), request.value(attribute) + attribute.length)});
  }
  if (request.Has(kUserPassword) && !accounting) {
    forward.hasUserPassword = true;
    if (!RevealUserPassword(request, secret, &forward.userPassword)) {
      ProxyReject(*proxied, "the User-Password is not 16 to 128 bytes in steps of 16", nowMs, out);
      return;
    }
  }
  Bytes own(kProxyStateTag, kProxyStateTag + kProxyStateTagLength);
  own.insert(own.end(), instance_.begin(), instance_.end());
  for (int shift = 24; shift >= 0; shift -= 8) own.push_back(static_cast<uint8_t>(forward.id >> shift));
  forward.attributes.push_back({kProxyState, std::move(own)});
  // A reply carrying EAP is refused without one whatever this says (CheckReply); PAP's without
  // one reaches OnProxied, which refuses it unless the route allows it.
  forward.requireMessageAuthenticator = false;
  if (accounting) {
    // Its Request Authenticator computed with the home's secret (RFC 2866 §3), which signs it.
    forward.code = kAccountingRequest;
    forward.messageAuthenticator = false;
    forward.answerCodes.set(kAccountingResponse);
  } else {
    forward.messageAuthenticator = true;
    forward.answerCodes.set(kAccessAccept).set(kAccessReject).set(kAccessChallenge);
  }
  forward.tries = lane_.Settings().proxyTries;
  forward.timeoutMs = lane_.Settings().proxyTimeoutMs;
  const char* why = nullptr;
  if (!ClientRequestFits(forward, &why)) {
    ProxyReject(*proxied, std::string("the request cannot be forwarded: ") + why, nowMs, out);
    return;
  }
  proxied->deadlineMs = nowMs + lane_.Settings().proxyTimeoutMs;
  proxied->state = StateOf(request);
  proxied->firstRound = proxied->state.empty() && proxied->pinned == nullptr;
  if (pool == nullptr) pool = DiscoveredPool(realm, nowMs);
  if (pool == nullptr) {
    AwaitDiscovery(std::move(proxied), realm, nowMs, out);
    return;
  }
  Route(std::move(proxied), *pool, nowMs, out);
}

void ProxyHandler::Route(std::unique_ptr<Proxied> proxied, Pool& pool, uint64_t nowMs, Outbox* out) {
  std::string refusal;
  const ProxyRoute* route = proxied->pinned != nullptr ? proxied->pinned : Choose(pool, proxied->state, &refusal);
  proxied->route = route;
  proxied->pool = static_cast<size_t>(&pool - pools_.data());
  if (route == nullptr) {
    ProxyReject(*proxied, refusal, nowMs, out);
    return;
  }
  if (proxied_.size() >= lane_.Settings().maxConversations) {
    ProxyReject(*proxied, "the proxy has " + std::to_string(proxied_.size()) + " requests out to home servers", nowMs,
                out);
    return;
  }
  ProxyHome& home = *homes_[route->home];
  if (home.out >= kHomeWindow && home.queue.size() >= kHomeQueue) {
    lane_.Counters().proxyBusy++;
    ProxyReject(*proxied,
                "home server busy: " + route->url + " has " + std::to_string(home.out) + " requests out and " +
                    std::to_string(home.queue.size()) + " waiting",
                nowMs, out);
    return;
  }
  proxied->forward.target = route->target;
  const uint32_t id = proxied->forward.id;
  if (proxied->accounting) lane_.Counters().proxyAccountingForwarded++;
  Proxied& placed = *proxied;
  proxied_.emplace(id, std::move(proxied));
  Place(placed, home, nowMs);
}

void ProxyHandler::Place(Proxied& proxied, ProxyHome& home, uint64_t nowMs) {
  if (home.out < kHomeWindow && home.Ready() && home.queue.empty()) {
    Dispatch(proxied, home, nowMs);
  } else {
    // Every deadline queued since is later, but for a request moved from another home's: the
    // clock looks again no later than its deadline.
    if (proxyQueued_ == 0 || proxied.deadlineMs < proxyQueueDueMs_) proxyQueueDueMs_ = proxied.deadlineMs;
    home.queue.push_back(proxied.forward.id);
    proxyQueued_++;
  }
  // A request waiting for its home's connection waits on that home as one sent does: a home whose
  // connection does not come up is judged as one that does not answer (zombie, then dead).
  if (home.pooled && !home.Ready()) home.health.Sent(nowMs);
  if (home.link == ProxyHome::Link::kNone && home.route->transport != 0) {
    home.link = ProxyHome::Link::kAsked;
    lane_.ConnectHome(RouteIndex(*home.route));
  }
}

void ProxyHandler::OnHomeLink(uint32_t route, bool up, uint32_t target, const std::string& error, uint64_t nowMs,
                              Outbox* out) {
  if (route >= routes_.size() || routes_[route].local || routes_[route].transport == 0) return;
  ProxyHome& home = *homes_[routes_[route].home];
  if (up) {
    home.target = target;
    home.link = ProxyHome::Link::kUp;
    Drain(home, nowMs, out);
    return;
  }
  // Down, or never up: what waits for it and what is out on it are refused now; the next
  // request for it asks for a connection again. A discovered home's realm is discovered again.
  home.link = ProxyHome::Link::kNone;
  home.target = 0;
  if (home.pooled) Judge(home, home.health.Down(nowMs), nowMs, out);
  if (home.route->discovery) Unbind(*home.route, false);
  RefuseHome(routes_[route].home, "home server " + home.route->url + " is not connected: " + error, nowMs, out);
}

void ProxyHandler::RefuseHome(size_t index, const std::string& reason, uint64_t nowMs, Outbox* out) {
  ProxyHome& home = *homes_[index];
  const bool discovered = home.route->discovery;
  std::vector<std::unique_ptr<Proxied>> refused;
  for (auto at = proxied_.begin(); at != proxied_.end();) {
    if (at->second->route->home != index) {
      ++at;
      continue;
    }
    refused.push_back(std::move(at->second));
    at = proxied_.erase(at);
  }
  proxyQueued_ -= home.queue.size();
  home.queue.clear();
  home.out = 0;  // the outcomes still to come find no request: ignored
  for (auto at = moved_.begin(); at != moved_.end();) at = at->second.home == index ? moved_.erase(at) : std::next(at);
  std::sort(refused.begin(), refused.end(), [](const auto& a, const auto& b) { return a->startedMs < b->startedMs; });
  for (const auto& proxied : refused) {
    if (discovered) {
      DiscoveryReject(*proxied, reason, nowMs, out);
    } else {
      ProxyReject(*proxied, reason, nowMs, out);
    }
  }
}

void ProxyHandler::Dispatch(Proxied& proxied, ProxyHome& home, uint64_t nowMs) {
  // What is left of its time since it came in, its tries spaced over that.
  ClientRequest& forward = proxied.forward;
  const uint64_t left = proxied.deadlineMs > nowMs ? proxied.deadlineMs - nowMs : 1;
  const uint64_t whole = std::max<uint64_t>(lane_.Settings().proxyTimeoutMs, 1);
  forward.timeoutMs = static_cast<uint32_t>(std::min(left, whole));
  forward.tries = static_cast<uint32_t>(std::clamp<uint64_t>((left * lane_.Settings().proxyTries + whole - 1) / whole,
                                                             1, std::max<uint32_t>(lane_.Settings().proxyTries, 1)));
  home.out++;
  proxied.sent = true;
  proxied.sentMs = nowMs;
  home.counts.Sent(proxied.accounting);
  if (home.pooled) {
    home.health.Sent(nowMs);
    if (proxied.firstRound && pools_[proxied.pool].routes.size() > 1) proxied.spare = CopyOf(forward);
  }
  uint32_t stream = 0;
  // Over UDP an Accounting-Request goes to the home's accounting port (ProxyRoute::acctTarget).
  if (proxied.route->transport == 0 && proxied.accounting) forward.target = proxied.route->acctTarget;
  if (proxied.route->transport != 0) {
    // A connection's request is sent once (RFC 6613 §2.6.1): its one try waits what is left.
    forward.tries = 1;
    forward.target = home.target;
    stream = RouteIndex(*home.route) + 1;
  }
  forwards_.push_back({proxied.route->server.family, stream, std::move(forward)});
}

void ProxyHandler::Drain(ProxyHome& home, uint64_t nowMs, Outbox* out) {
  while (!home.queue.empty()) {
    auto found = proxied_.find(home.queue.front());
    const bool due = found == proxied_.end() || found->second->deadlineMs <= nowMs + kMinSendMs;
    if (!due && (home.out >= kHomeWindow || !home.Ready())) return;
    home.queue.pop_front();
    proxyQueued_--;
    if (found == proxied_.end()) continue;
    if (!due) {
      Dispatch(*found->second, home, nowMs);
      continue;
    }
    std::unique_ptr<Proxied> lapsed = std::move(found->second);
    proxied_.erase(found);
    const std::string why = home.Ready() ? "its " + std::to_string(kHomeWindow) + " requests out left no room"
                                         : "its connection is not up yet";
    ProxyReject(*lapsed,
                "home server " + lapsed->route->url + " did not answer within " +
                    std::to_string(lane_.Settings().proxyTimeoutMs) + " ms (not sent: " + why + ")",
                nowMs, out);
  }
}

uint64_t ProxyHandler::Clock(uint64_t nowMs, Outbox* out) {
  const uint64_t homes = std::min(ClockHomes(nowMs, out), ClockDiscovery(nowMs, out));
  if (proxyQueued_ == 0) return homes;
  if (nowMs + kMinSendMs < proxyQueueDueMs_) return std::min(homes, proxyQueueDueMs_ - kMinSendMs);
  uint64_t next = UINT64_MAX;
  for (auto& home : homes_) {
    if (home->queue.empty()) continue;
    Drain(*home, nowMs, out);
    auto first = home->queue.empty() ? proxied_.end() : proxied_.find(home->queue.front());
    if (first != proxied_.end()) next = std::min(next, first->second->deadlineMs);
  }
  proxyQueueDueMs_ = next;
  return std::min(homes, next == UINT64_MAX ? next : next - kMinSendMs);
}

bool ProxyHandler::ProxyRefused(Proxied& proxied, ClientOutcome& outcome, uint64_t nowMs, Outbox* out) {
  const std::string home = "home server " + proxied.route->url;
  if (outcome.messageAuthenticatorMissing != 0) lane_.Counters().proxyRepliesUnsigned++;
  if (outcome.kind != OutcomeKind::kReply) {
    ProxyReject(proxied, Unanswered(outcome, home, lane_.Settings().proxyTimeoutMs, lane_.Settings().proxyTries), nowMs,
                out);
    return true;
  }
  const bool signedReply =
      std::any_of(outcome.attributes.begin(), outcome.attributes.end(),
                  [](const ClientAttribute& attribute) { return attribute.type == kMessageAuthenticator; });
  // Over TLS or DTLS nobody on the path can forge a reply (BlastRADIUS needs plain UDP); an
  // Accounting-Response grants nothing to forge.
  if (signedReply || proxied.route->transport != 0 || proxied.accounting) return false;
  lane_.Counters().proxyRepliesUnsigned++;
  if (proxied.route->allowUnsignedReplies) return false;
  for (Bytes& key : outcome.keys) SecureZeroContents(key);
  for (Bytes& clear : outcome.tunnelPasswords) SecureZeroContents(clear);
  ProxyReject(proxied, home + " replied without Message-Authenticator (refused: such a reply can be forged)", nowMs,
              out);
  return true;
}

void ProxyHandler::OnProxied(ClientOutcome& outcome, uint64_t nowMs, Outbox* out) {
  if (OnProbe(outcome, nowMs, out)) return;
  auto found = proxied_.find(outcome.id);
  if (found == proxied_.end()) return;
  if (!found->second->sent) return;  // not this request's: an id reused since its home went down
  std::unique_ptr<Proxied> proxied = std::move(found->second);
  proxied_.erase(found);
  lane_.Counters().proxyRepliesUnverified += outcome.unauthenticated + outcome.messageAuthenticatorInvalid;
  ProxyHome& room = *homes_[proxied->route->home];
  room.out--;
  CountOutcome(room, outcome, proxied->sentMs, nowMs);
  if (room.pooled) {
    const bool stillOut = room.out != 0;
    Judge(room,
          outcome.kind == OutcomeKind::kReply ? room.health.Heard(nowMs, stillOut) : room.health.Lost(nowMs, stillOut),
          nowMs, out);
    if (outcome.kind == OutcomeKind::kReply) Tied(*proxied, outcome, nowMs);
  }
  Drain(room, nowMs, out);
  if (ProxyRefused(*proxied, outcome, nowMs, out)) return;
  if (proxied->accounting) return Acknowledge(*proxied, outcome, nowMs, out);
  const std::string home = "home server " + proxied->route->url;
  size_t hiddenKeys = 0;
  size_t tunnelPasswords = 0;
  for (const ClientAttribute& attribute : outcome.attributes) {
    if (attribute.type == kVendorSpecific && IsMppeKey(attribute.value.data(), attribute.value.size())) hiddenKeys++;
    if (attribute.type == kTunnelPassword) tunnelPasswords++;
  }
  if (hiddenKeys != outcome.keys.size() || tunnelPasswords != outcome.tunnelPasswords.size()) {
    for (Bytes& key : outcome.keys) SecureZeroContents(key);
    for (Bytes& clear : outcome.tunnelPasswords) SecureZeroContents(clear);
    ProxyReject(*proxied,
                home + " sent " + (hiddenKeys != outcome.keys.size() ? "an MS-MPPE key" : "a Tunnel-Password") +
                    " that does not decode with the secret for it",
                nowMs, out);
    return;
  }
  const Pending& pending = proxied->pending;
  ReplyWriter writer = pending.Writer(outcome.code);
  size_t key = 0;
  size_t tunnelPassword = 0;
  for (const ClientAttribute& attribute : outcome.attributes) {
    // Signed again; the NAS's Proxy-States echoed from its request (Signed), the proxy's dropped.
    if (attribute.type == kMessageAuthenticator || attribute.type == kProxyState) continue;
    if (attribute.type == kTunnelPassword) {
      // Revealed with the home's secret, hidden again with the NAS's (RFC 2868 §3.5), as the keys are.
      const Bytes& clear = outcome.tunnelPasswords[tunnelPassword++];
      writer.AddTunnelPassword(clear[0], clear.data() + 1, clear.size() - 1, *pending.secret);
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
  for (Bytes& clear : outcome.tunnelPasswords) SecureZeroContents(clear);
  Bytes reply = pending.Signed(writer);
  if (reply.empty()) {
    lane_.Counters().proxyRepliesTooLarge++;
    ProxyReject(*proxied,
                "reply-too-large: " + home + "'s reply would pass 4096 bytes with the NAS's Proxy-States added back",
                nowMs, out);
    return;
  }
  const bool verdict = outcome.code != kAccessChallenge;
  if (outcome.code == kAccessAccept) lane_.Counters().accepts++;
  if (outcome.code == kAccessReject) lane_.Counters().rejects++;
  if (!verdict) lane_.Counters().challenges++;
  ConversationRecord* record = nullptr;
  if (verdict && lane_.Settings().records) {
    record = &proxied->record;
    record->home = proxied->route->url;
    record->accept = outcome.code == kAccessAccept;
    record->durationMs = nowMs - proxied->startedMs;
    if (!record->accept) {
      record->hasError = true;
      record->error.rootCauseString = Utf8ToUtf16("rejected by " + home);
    }
  }
  lane_.Reply(pending, std::move(reply), nowMs, out, record);
}

void ProxyHandler::Acknowledge(const Proxied& proxied, const ClientOutcome& outcome, uint64_t nowMs, Outbox* out) {
  const Pending& pending = proxied.pending;
  lane_.Counters().proxyAccountingAcknowledged++;
  if (proxied.spoolId != 0) {
    // A spooled request: no NAS waits for it, JS deletes it from the spool.
    return lane_.Spooled(proxied.spoolId, true);
  }
  ReplyWriter writer = pending.Writer(kAccountingResponse, false);
  for (const ClientAttribute& attribute : outcome.attributes) {
    if (attribute.type == kMessageAuthenticator || attribute.type == kProxyState) continue;
    writer.Add(attribute.type, attribute.value.data(), attribute.value.size());
  }
  lane_.Counters().accountingResponses++;
  lane_.Reply(pending, pending.Signed(writer), nowMs, out);
}

void ProxyHandler::ProxyReject(const Proxied& proxied, const std::string& reason, uint64_t nowMs, Outbox* out,
                               bool notRoutable) {
  const Pending& pending = proxied.pending;
  if (proxied.accounting) {
    // No Accounting-Response says the home kept what it did not: nothing goes out, and the NAS's
    // next try is a new request, forwarded again.
    lane_.Counters().proxyAccountingUnanswered++;
    // A spooled one stays in the spool, sent again later.
    if (proxied.spoolId != 0) return lane_.Spooled(proxied.spoolId, false);
    lane_.Forget(pending.cacheKey, pending.authenticator);
    return;
  }
  // Over RadSec (TLS or DTLS) a request no home server was found for gets a Protocol-Error with
  // Error-Cause 502 Request Not Routable (RFC 7930 §4, RFC 5176 §3.6): the client knows at once
  // that the proxy is alive and the realm is not, and may try another way.
  const bool protocolError = notRoutable && pending.source.link != 0;
  if (!protocolError) lane_.Counters().rejects++;
  ReplyWriter writer = pending.Writer(protocolError ? kProtocolError : kAccessReject);
  if (protocolError) AddProtocolErrorCause(&writer, kAccessRequest, pending.source.radius11, kErrorCauseNotRoutable);
  const std::string message = "eaphost proxy: " + reason;
  writer.Add(kReplyMessage, reinterpret_cast<const uint8_t*>(message.data()),
             std::min(message.size(), kMaxAttributeValue));
  if (proxied.eapId >= 0 && !protocolError) writer.AddEapMessage(VerdictPacket(kEapFailureCode, proxied.eapId));
  ConversationRecord record = proxied.record;
  record.accept = false;
  record.durationMs = nowMs - proxied.startedMs;
  record.hasError = true;
  record.error.call = "proxy";
  record.error.rootCauseString = Utf8ToUtf16(message);
  lane_.Reply(pending, pending.Signed(writer), nowMs, out, lane_.Settings().records ? &record : nullptr);
}

void ProxyHandler::End() {
  proxied_.clear();
  forwards_.clear();
  probes_.clear();
  moved_.clear();
  ties_.clear();
  tieOrder_.clear();
  for (auto& home : homes_) {
    home->out = 0;
    home->queue.clear();
  }
  proxyQueued_ = 0;
  awaiting_.clear();
  awaitingRealm_.clear();
}

}  // namespace eaphost::radius
