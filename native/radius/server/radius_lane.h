// The RADIUS engine's logic: the whole of a RADIUS server's work on a datagram (RFC 3579 server
// side) in one place on one thread, with no turn of the event loop per packet. The lane takes each
// datagram in (client and secret, decode, Message-Authenticator, the reply cache) and hands the
// request to the handler its dispatch table names for it (radius_lane_context.h), which owns the
// state of what it answers: EAP's conversations found again by State and the embedded
// authenticator's steps (radius_handler_eap.cc), PAP and MAB (radius_handler_plain.cc), the
// proxy's home servers (radius_handler_proxy.cc), accounting (radius_handler_accounting.cc). The
// user store's answers come from a plain table (known_answer.h) in the same step, or, for a store
// JS holds (a function, a lookup that returns a promise), from JS: the request waits for the
// answer (a StoreQuestion out, a StoreAnswer back) while the lane goes on with the others.
//
// This part has no socket and no clock of its own: a datagram and the time go in, replies come
// out (Outbox). radius_engine.h runs it on a thread over a socket (radius_socket.h).
#pragma once

#include <array>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../wire/radius_base.h"
#include "radius_lane_clients.h"
#include "radius_lane_context.h"
#include "radius_lane_verdicts.h"
#include "radius_proxy_tally.h"
#include "../wire/radius_exchange.h"
#include "../wire/radius_packet.h"
#include "radius_reply_paths.h"

namespace eaphost::radius {

class AccountingHandler;
class EapHandler;
class ProxyHandler;

class RadiusLane final : public LaneContext {
 public:
  // `paths` (the engine's, which outlives the lane) says which transport each link is, and so
  // which secret signs its replies.
  RadiusLane(LaneSettings settings, const ReplyPaths& paths);
  ~RadiusLane() override;

  void OnDatagram(const uint8_t* datagram, size_t size, const Source& source, uint64_t nowMs, Outbox* out);
  // The store's answer to a question: the conversation goes on (a question it no longer waits
  // for, closed or expired meanwhile, is dropped).
  void OnAnswer(StoreAnswer& answer, uint64_t nowMs, Outbox* out);
  // authorize()'s answer: the verdict it waited for goes out (one no longer waited for is dropped).
  void OnAuthorized(AuthorizeAnswer& answer, uint64_t nowMs, Outbox* out);
  // Retransmissions and store answers due, the idle sweep; returns when it wants to be called next.
  uint64_t OnClock(uint64_t nowMs, Outbox* out);
  // Ends every conversation (the server closes), once the step threads have stopped.
  void EndAll();
  // The routes, for the engine to name their servers in its client engine before the loop starts.
  std::vector<ProxyRoute>& proxyRoutes() { return settings_.proxyRoutes; }
  // A reload's first half: no request from a NAS is taken from now on (each is dropped, counted
  // unexpected), while the requests out to home servers still get their replies. Returns how many
  // are out or waiting: 0 once every one has been answered.
  size_t Drain();
  std::string HomeRealm(const RequestView& request, std::string* home) const override;

  // The handlers the engine reaches past the dispatch table, each owning its state: EAP's step
  // threads (started with the engine; `wake` is called on one of them when a step is done, and the
  // lane thread then concludes the steps done), the proxy's client-engine side (forwards taken,
  // home servers' answers, RadSec homes' links, discovery, spooled accounting, each home's tally)
  // and accounting's answers from JS. Each call is made under the engine's lock, as the lane's own.
  EapHandler& eap() { return *eap_; }
  ProxyHandler& proxy() { return *proxy_; }
  const ProxyHandler& proxy() const { return *proxy_; }
  AccountingHandler& accounting() { return *accounting_; }

  LaneCounters& counters() { return counters_; }
  // Each client's requests, replies and Message-Authenticator posture (radius_lane_clients.h).
  const ClientTally& clients() const { return tally_; }
  // Each verdict's outcome, reason and time, counted (radius_lane_verdicts.h).
  const VerdictTally& verdicts() const { return verdicts_; }

 private:
  const SharedSecret* SecretFor(const Source& source) const;
  bool Allowed(const Source& source) const;
  static bool Unserved(uint8_t code);
  // An answer to a request sent down a RadSec connection (reverse CoA): Disconnect- or CoA-ACK/NAK.
  static bool ReverseAnswer(uint8_t code);
  void ProtocolError(const RequestView& request, const Source& source, const SharedSecret& secret, Outbox* out);
  // A verdict that succeeded, decided by the policy or asked of authorize(), then sent
  // (radius_lane_policy.cc).
  void Decide(std::unique_ptr<Decision> decision, uint64_t nowMs, Outbox* out) override;
  void SendDecision(Decision& decision, bool accept, const EncodedAttributes* reply, VerdictReason why,
                    const std::string& reason, uint64_t nowMs, Outbox* out) override;
  // The dispatch table: a handler takes the packet code it is named for. `own_`'s check a request
  // themselves (accounting's computed Request Authenticator) and take it as it came; `checked_`'s
  // take it once the lane has checked its Message-Authenticator and the reply cache, each in its
  // code's row in turn until one takes it (an Access-Request: the proxy's realms, EAP, PAP and MAB).
  void Take(LaneHandler& handler, uint8_t code, bool checks);
  static bool HandOver(const std::vector<LaneHandler*>& row, const RequestView& request, const Source& source,
                       const SharedSecret& secret, const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out);

  const ReplyPaths& paths_;
  std::vector<std::unique_ptr<LaneHandler>> handlers_;  // each turn of the clock, sweep and end in this order
  std::array<std::vector<LaneHandler*>, 256> own_;
  std::array<std::vector<LaneHandler*>, 256> checked_;
  // The handlers the engine reaches past the table (JS's answers, the client engine, step threads).
  EapHandler* eap_ = nullptr;
  ProxyHandler* proxy_ = nullptr;
  AccountingHandler* accounting_ = nullptr;
  uint64_t nextSweepMs_ = 0;
  bool draining_ = false;  // Drain: nothing new is taken
  // Verdicts waiting for authorize(), by question.
  std::unordered_map<uint32_t, std::unique_ptr<Decision>> deciding_;
};

}  // namespace eaphost::radius
