// The RADIUS engine: the lane (radius_lane.h) on a thread of its own over the OS's socket
// (radius_socket.h), run by the RADIUS loop (radius_loop.h). The thread waits for a datagram or
// a wake, reads every datagram waiting and sends each reply as it is made, so no packet waits for
// Node's event loop. What only JS has (a RadSec connection's bytes, a user store's answer) is
// handled on JS's thread when JS hands it over, under the lane's lock, which the engine's thread
// holds only while it handles a datagram, the clock or a step come back: one thread at a time
// touches the lane, and handing JS's work over costs no wake of the engine's thread. What the
// lane has for JS (records, questions for the store, RadSec's replies and broken connections) is
// taken by JS when `notify` says there is some. A RADIUS/DTLS listener (radius_dtls.h) is no JS
// work: its records come in on its thread and the replies go straight back to it.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <string>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "../dtls/radius_dtls.h"
#include "radius_lane.h"
#include "radius_reply_paths.h"
#include "../io/radius_loop.h"
#include "../wire/radius_stream.h"

namespace eaphost::radius {

class RadiusEngine : private LoopHandler, public DtlsRecordSink {
 public:
  // `notify` is called (on the engine's thread, or JS's) when the lane has something for JS.
  // Link numbers are handed out from `firstLink` on (ReplyPaths; a test starts near a boundary).
  RadiusEngine(std::unique_ptr<RadiusSocket> socket, LaneSettings settings, std::function<void()> notify,
               uint32_t firstLink = 1);
  ~RadiusEngine();
  RadiusEngine(const RadiusEngine&) = delete;
  RadiusEngine& operator=(const RadiusEngine&) = delete;

  uint16_t port() const { return socket_->port(); }
  // Why the client engine for the home servers (settings' proxyRoutes) could not be opened; empty
  // when it was, or none was needed. The binding refuses the engine then.
  const std::string& proxyError() const { return proxyError_; }
  RadiusLane& lane() { return lane_; }
  // JS's thread, each handled at once; nothing once closed.
  // The bytes RadSec connection `source.link` brought, in order, framed (radius_stream.h), each
  // packet answered as a UDP datagram is. At most kStreamPacketsPerTurn packets are answered until JS
  // calls with no bytes (its next turn, once this turn's replies are written and measured): a
  // backlog says whole packets wait, and JS reads no more of that connection until they are
  // answered. A link whose framing broke is told of in ForJs::broken.
  StreamCut OnStream(const Bytes& data, const Source& source);
  // A RadSec connection's link number, its replies JS's (ReplyPaths); 0 when none is free.
  uint32_t OpenStreamLink() { return paths_.Open(ReplyPath::kStream); }
  // Whether `link` is a RadSec connection's that OpenStreamLink gave and DropLink has not taken back.
  bool IsStreamLink(uint32_t link) const { return paths_.Of(link) == ReplyPath::kStream; }
  // The connection is gone: what it held unframed is dropped, and its number is free again.
  void DropLink(uint32_t link);
  // The proxy's RadSec homes (a route whose transport is not UDP) go out on connections JS holds,
  // through JS's client engine for them (`sender`, ShareExchangeSender): the home's first route's
  // index + 1 names it. ProxyHome says how JS's connection for `route` went (ForJs::proxyConnects):
  // up, on its target in that engine, or not, and why not.
  void ProxyStreams(uint32_t sender, std::unique_ptr<ExchangeSender> streams);
  void ProxyHome(uint32_t route, bool up, uint32_t target, const std::string& error);
  // What JS's discovery found for a realm the lane asked about (ForJs::proxyDiscovers).
  void ProxyDiscovered(DiscoveredHome found);
  // A RadSec home's outcomes wait (the shared client engine's thread): the loop takes them.
  void WakeProxy() { socket_->Wake(); }
  void OnAnswer(StoreAnswer& answer);
  void OnAuthorized(AuthorizeAnswer& answer);
  void OnAccounted(const AccountingAnswer& answer);
  // A reload's first half (RadiusLane::Drain): nothing new taken; how many proxied requests are
  // still to be answered.
  size_t Drain();
  // A spooled Accounting-Request sent to its realm's home (ProxyHandler::Spool).
  void Spool(uint32_t id, const Bytes& attributes, uint32_t waitedSeconds, const std::string& home);
  // A RADIUS/DTLS listener's (DtlsRecordSink): its thread's records, each answered as a UDP
  // datagram is, at once (no turn's share: a reply the socket cannot take is lost as any
  // datagram, so nothing is buffered to bound), the reply handed back to the listener.
  void OnRecord(const uint8_t* data, size_t size, const Source& from) override;
  bool Carry(DtlsServer* server) override;
  void Uncarry(DtlsServer* server) override;
  // Reverse CoA down RADIUS/DTLS association `link` (JS's thread): its peer, and a request
  // written to it as its replies are; each false when no association of the carried listener holds it.
  bool DtlsPeer(uint32_t link, Source* peer);
  bool SendDownDtls(uint32_t link, Bytes packet);
  uint32_t OpenLink() override { return paths_.Open(ReplyPath::kDtls); }
  void CloseLink(uint32_t link) override { paths_.Close(link, ReplyPath::kDtls); }
  // Stops the thread once it has ended every conversation; no notify after it returns. Idempotent.
  void Close();

 private:
  // `work(nowMs, &out)` under the lane's lock, its replies sent and `out` emptied.
  template <typename Work>
  void Locked(Outbox& out, Work work);
  // The same with an outbox of its own (JS's thread).
  template <typename Work>
  void Locked(Work work);
  // The lane's turns on the loop's thread: the clock, steps come back, datagrams; EndAll at the end.
  uint64_t OnTurn(uint64_t nowUs) override;
  void OnWake() override;
  void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) override;
  bool TellJs() override;
  void OnEnd() override;
  // A reply to a RADIUS/DTLS association, over the listener that carries it (dropped without one).
  void SendOverDtls(OutgoingDatagram& datagram);
  // Opens a client engine per address family the home servers need and names each route's server
  // there (before the loop starts).
  void OpenProxy();
  // The lane's forwards, handed to the client engines (after the lane's lock).
  void Forward(std::vector<ProxyForward> forwards);

  std::unique_ptr<RadiusSocket> socket_;
  ReplyPaths paths_;  // before the lane, which reads it (RadiusLane::SecretFor)
  RadiusLane lane_;
  std::mutex laneLock_;
  // Under laneLock_: each RadSec connection's bytes and the packets it has had answered this turn.
  StreamFramer framer_;
  std::unordered_map<uint32_t, size_t> answeredThisTurn_;
  bool ended_ = false;   // under laneLock_: EndAll has run, no packet is taken after it
  Outbox out_;           // the loop's replies, its room kept from turn to turn
  Outbox dtlsOut_;       // the DTLS listener's thread's, likewise
  std::mutex dtlsLock_;  // held while a reply is handed to dtls_, so Uncarry waits it out
  DtlsServer* dtls_ = nullptr;
  std::atomic<bool> closed_{false};
  // The home servers' client engines, IPv4's and IPv6's: their outcomes wake this loop.
  std::array<std::unique_ptr<ExchangeSender>, 2> senders_;
  std::mutex streamsLock_;  // JS's thread adds, the engine's and JS's threads send and take
  std::unordered_map<uint32_t, std::unique_ptr<ExchangeSender>> streams_;
  std::string proxyError_;
  RadiusLoop loop_;  // last: made once the rest is, and stopped (Close) before any of it goes
};

}  // namespace eaphost::radius
