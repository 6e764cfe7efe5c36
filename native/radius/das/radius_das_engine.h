// The Dynamic Authorization Server's engine: the DAS lane (radius_das.h) on a thread of its own
// over the OS's socket (radius_socket.h, the RADIUS engine's), run by the RADIUS loop (radius_loop.h)
// as the RADIUS engine runs its lane.
// The thread reads every datagram, answers from memory, drops and NAKs there and then, and keeps
// each request that passed every check for JS's policy, telling JS through `notify` that some
// wait (many per call on the event loop); the policy's verdict comes back on JS's thread, is
// signed under the lane's lock and sent from there. The clock is the system's (ms since the
// epoch, Event-Timestamp's seconds), which a test may move.
// Over RadSec (DasSettings::streamSecret), JS's TLS listener hands each connection's bytes in on
// JS's thread (OnStream), framed here as the RADIUS engine frames them (radius_stream.h): what the
// lane answers at once comes back from that call, and a verdict on a request that came over a
// connection comes back from OnVerdict, for JS to write to the connection it came on.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "radius_das.h"
#include "../dtls/radius_dtls.h"
#include "../io/radius_loop.h"
#include "../wire/radius_stream.h"

namespace eaphost::radius {

class DasEngine : private LoopHandler, public DtlsRecordSink {
 public:
  // A request for the policy, and the address it came from.
  struct Asked {
    DasRequest request;
    std::string client;
    uint32_t link = 0;  // the RadSec connection or RADIUS/DTLS association it came over; 0: a datagram
  };

  // `notify` is called on the engine's thread when requests wait for the policy.
  DasEngine(std::unique_ptr<RadiusSocket> socket, DasSettings settings, std::function<void()> notify);
  ~DasEngine();
  DasEngine(const DasEngine&) = delete;
  DasEngine& operator=(const DasEngine&) = delete;

  uint16_t port() const { return socket_->port(); }
  // JS's thread: the requests that wait for the policy, oldest first.
  std::vector<Asked> TakeAsked();
  // JS's thread: the policy's verdict on request `id`, signed and sent to where it came from;
  // nothing for an ID no request waits under, or once closed. A request that came over a RadSec
  // connection still open: its reply is returned (and `*link` set) for JS to write there.
  Bytes OnVerdict(uint32_t id, bool done, uint32_t errorCause, uint32_t* link);
  // JS's thread: a RadSec connection's number, never one given before; 0 once closed.
  uint32_t OpenStreamLink();
  // JS's thread: the bytes RadSec connection `source.link` brought, in order, each packet handled
  // as a UDP datagram is, at most kStreamPacketsPerTurn until JS calls with no bytes (its next turn):
  // a backlog says whole packets wait. What is answered at once is appended to `replies`.
  StreamCut OnStream(const Bytes& data, const Source& source, std::vector<Bytes>* replies);
  // JS's thread: the connection is gone; a verdict on a request it brought is no longer returned.
  void DropLink(uint32_t link);
  // A RADIUS/DTLS listener's (DtlsRecordSink): its thread's records, each handled as a UDP datagram
  // is, what is answered at once and the verdicts on its requests sent back through the listener.
  void OnRecord(const uint8_t* data, size_t size, const Source& from) override;
  bool Carry(DtlsServer* server) override;
  void Uncarry(DtlsServer* server) override;
  uint32_t OpenLink() override;
  void CloseLink(uint32_t link) override;
  DasCounters counters();
  // The server's clock reads `nowMs` now, and goes on from there.
  void MoveClock(uint64_t nowMs);
  // Stops the thread, forgets every request and wipes the secrets; counters() stays. Idempotent.
  void Close();

 private:
  uint64_t NowMs() const;
  // The lane's turns on the loop's thread: no clock of its own, each datagram answered or asked.
  uint64_t OnTurn(uint64_t nowUs) override;
  void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) override;
  bool TellJs() override;

  std::unique_ptr<RadiusSocket> socket_;
  std::mutex laneLock_;
  // Under laneLock_: the lane, the requests JS has yet to take, and where each waiting one came from.
  DasLane lane_;
  std::vector<Asked> asked_;
  std::unordered_map<uint32_t, Source> sources_;
  // Under laneLock_: RadSec's connections, their bytes framed and their packets answered this turn.
  StreamFramer framer_;
  std::unordered_map<uint32_t, size_t> answeredThisTurn_;
  std::unordered_set<uint32_t> links_;
  std::unordered_set<uint32_t> dtlsLinks_;
  uint32_t lastLink_ = 0;
  std::mutex dtlsLock_;  // held while a reply is handed to dtls_, so Uncarry waits it out
  DtlsServer* dtls_ = nullptr;
  // A reply to RADIUS/DTLS association `link`, over the listener carried (dropped without one).
  void SendOverDtls(uint32_t link, Bytes reply);
  // A link number never given before, put in `into` (links_ or dtlsLinks_); 0 once closed.
  uint32_t NextLink(std::unordered_set<uint32_t>* into);
  bool askedThisTurn_ = false;  // the loop's thread's alone
  std::atomic<int64_t> clockOffsetMs_{0};
  std::atomic<bool> closed_{false};
  RadiusLoop loop_;  // last: made once the rest is, and stopped (Close) before any of it goes
};

}  // namespace eaphost::radius
