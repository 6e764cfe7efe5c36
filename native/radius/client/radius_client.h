// The RADIUS client engine: the NAS's side of RADIUS (RFC 2865, RFC 2866, RFC 5176, RFC 5997) on
// a thread of its own over one UDP socket (radius_socket.h). JS hands requests over as attributes
// ({type, value}); the thread gives each an Identifier of its server's 256 (waiting in order when
// all are out), writes and signs it (radius_packet.h), sends it, resends the same bytes on its
// clock, matches each reply to its request, verifies it and decodes it. What JS learns is one
// outcome per request, many in one call on the event loop. A reply that fails verification is
// counted by why, so JS can tell a wrong secret from a forgery or a server's Identifier bug.
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../wire/radius_exchange.h"
#include "../io/radius_loop.h"
#include "../wire/radius_packet.h"
#include "../io/radius_socket.h"
#include "../wire/radius_stream.h"

namespace eaphost::radius {

// A request's datagram for a stream JS holds (RadSec over TLS: RFC 6614), written there in order.
struct ClientWrite {
  uint32_t link = 0;
  Bytes datagram;
};

// One attribute of a load run's own per request: request n's value is values[ends[n-1], ends[n])
// (n taken modulo the count of ends). User-Password is hidden as any request's password is.
struct ClientLoadColumn {
  uint8_t type = 0;
  Bytes values;
  std::vector<uint32_t> ends;
  ClientLoadColumn() = default;
  ClientLoadColumn(ClientLoadColumn&&) = default;
  ClientLoadColumn& operator=(ClientLoadColumn&&) = default;
  ~ClientLoadColumn();
};

// A load run (`eaphost load` PAP and MAB): the thread makes the requests itself, each `shape`
// with its own values from `columns` (before shape's attributes), through the same
// Start/Transmit/verify as every request, so JS does no work per request. At most `concurrency`
// out, started no faster than `rate` per second (0: as replies come), until `count` have
// started (0: no count) or `durationUs` is over (0: no duration). Kept as columns, not as one
// request per credential: a million MACs are a few tens of megabytes.
struct ClientLoad {
  uint32_t target = 0;
  ClientRequest shape;  // its id 0
  std::vector<ClientLoadColumn> columns;  // one length, at least 1
  uint32_t concurrency = 1;
  uint64_t count = 0;
  uint64_t durationUs = 0;
  double rate = 0;
  size_t size() const { return columns.empty() ? 0 : columns.front().ends.size(); }
  ClientRequest Request(uint64_t n) const;
};

// A load run's figures: the answered requests are counted here (by the server's verdict, with
// their latencies since the last TakeLoad); an unanswered one is an outcome of id 0 as ever, for
// JS to tell a timeout from an error.
struct ClientLoadProgress {
  uint64_t started = 0;
  uint64_t inFlight = 0;
  uint64_t successes = 0;  // Access-Accept
  uint64_t failures = 0;   // any other answer
  std::vector<double> latenciesMs;
};

// What the thread has for JS: outcomes, datagrams for streams, and streams whose framing broke
// (a Length out of range: RFC 6614 §2.5, the connection cannot go on); `loadDone` once a load
// run has nothing left out, after its last outcome.
// `resumed`: streams OnStream asked JS to stop reading whose bytes the thread has taken since.
// `requests`: a Disconnect-Request or CoA-Request a stream brought, the server sending it back
// down the connection (reverse CoA): a packet no request of ours waits for, JS's to answer or drop.
struct ClientEvents {
  std::vector<ClientOutcome> outcomes;
  std::vector<ClientWrite> writes;
  std::vector<uint32_t> broken;
  std::vector<uint32_t> resumed;
  std::vector<ClientWrite> requests;
  bool loadDone = false;
  bool empty() const {
    return outcomes.empty() && writes.empty() && broken.empty() && resumed.empty() && requests.empty() && !loadDone;
  }
};

// Bytes of one stream handed over and not yet taken by the thread past which OnStream asks JS to
// stop reading it (RadSec: the TLS socket paused), until ClientEvents::resumed names it.
constexpr size_t kStreamHoldBytes = 256 * 1024;

struct ClientCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> retransmissions{0};
  std::atomic<uint64_t> repliesAccepted{0};
  std::atomic<uint64_t> repliesMalformed{0};
  std::atomic<uint64_t> repliesUnauthenticated{0};
  std::atomic<uint64_t> repliesWithoutMessageAuthenticator{0};
  std::atomic<uint64_t> repliesUnexpected{0};
  std::atomic<uint64_t> repliesStray{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> secretProbes{0};
  std::atomic<uint64_t> identifierWaits{0};
  // A stream's packets through JS: a request handed to JS to write, bytes JS handed in (OnStream),
  // one each. A link carried natively (CarryLink: a RADIUS/DTLS association) counts none.
  std::atomic<uint64_t> streamHandOffs{0};
  // Records a natively carried link brought while the engine held kStreamHoldBytes of it unframed.
  std::atomic<uint64_t> streamRecordsDropped{0};
};

// Where a natively carried link's requests go (CarryLink): one packet, on the engine's thread.
using LinkWrite = std::function<void(const Bytes& packet)>;

class RadiusClientEngine : private LoopHandler {
 public:
  // `notify` is called on the engine's thread when outcomes wait for Take().
  RadiusClientEngine(std::unique_ptr<RadiusSocket> socket, std::function<void()> notify);
  ~RadiusClientEngine();
  RadiusClientEngine(const RadiusClientEngine&) = delete;
  RadiusClientEngine& operator=(const RadiusClientEngine&) = delete;

  uint16_t port() const { return socket_->port(); }
  const ClientCounters& counters() const { return counters_; }

  // JS's thread. A server (address and port) and the secret shared with it; requests name it.
  // With `server.link`, a stream JS holds: requests go out as ClientWrites, replies come in by
  // OnStream, each link with its own 256 Identifiers.
  uint32_t AddTarget(const Source& server, std::shared_ptr<const SharedSecret> secret);
  // The bytes a stream brought, in order; framed here (radius_stream.h). True when the stream's
  // bytes not yet taken by the thread are past kStreamHoldBytes: JS stops reading it until
  // ClientEvents::resumed names it, so a server streaming faster than the thread frames and
  // checks costs at most that much memory.
  bool OnStream(uint32_t link, Bytes&& data);
  // Any thread (a RADIUS/DTLS association's): one record of a link whose far end is native,
  // framed as OnStream's bytes are. Nothing pauses a datagram transport: a record that comes
  // while the link holds kStreamHoldBytes not yet taken is dropped and counted, as a full socket
  // buffer drops a datagram, and the request it answered times out.
  void OnRecord(uint32_t link, Bytes&& record);
  // JS's thread, before the link's first request: its requests go to `write` on the engine's
  // thread from then on, not to JS (ClientEvents::writes); its replies come by OnRecord. Until
  // DropLink.
  void CarryLink(uint32_t link, LinkWrite write);
  // The stream is gone: what it held unframed is dropped (its requests are JS's to cancel), and
  // a carried link's writer let go.
  void DropLink(uint32_t link);
  // Held until Flush(): every request of one turn of JS's event loop reaches the thread in one
  // wake, in the order given (so when more than 256 are out, the rest wait their turn in order).
  void Submit(ClientRequest&& request);
  void Flush();
  // Withdraws a request (aborted): no outcome follows.
  void Cancel(uint32_t id);
  // One load run at a time (false while one is on). StopLoad withdraws its requests (no outcome
  // follows) and ends it; either way ClientEvents::loadDone says when it is over.
  bool StartLoad(ClientLoad&& load);
  void StopLoad();
  ClientLoadProgress TakeLoad();
  ClientEvents Take();
  // Another role's requests on this engine (the lane proxying to a RadSec home over JS's stream):
  // the outcome of a request whose id has kForwardedId set goes to TakeForwarded, not Take, and
  // `notify` is called for it (on the engine's thread). An empty `notify` ends that.
  void SetForwardSink(std::function<void()> notify);
  std::vector<ClientOutcome> TakeForwarded();
  // Stops the thread; requests still out get no outcome. Idempotent.
  void Close();

 private:
  struct Target;
  struct Destination;
  struct Outstanding;
  struct LoadRun;

  // The engine's turns on the loop's thread: what JS handed over, the clock, the load run's top-up.
  uint64_t OnTurn(uint64_t now) override;
  bool TellJs() override;
  uint64_t LoadTopUp(uint64_t now);
  void LoadWithdraw();
  void LoadFinished(const RequestView* reply, uint64_t latencyUs);
  void TakeInbox(uint64_t now);
  void Start(std::unique_ptr<Outstanding> request, uint64_t now);
  void Transmit(Outstanding& request, uint64_t now);
  uint64_t OnClock(uint64_t now);
  void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t now) override;
  void OnReply(Destination& destination, const uint8_t* data, size_t size, uint64_t now);
  void Frame(uint32_t link, const Bytes& data, uint64_t now);
  // `data` into the inbox for `link` (a record of a carried link: `record`); true when the link
  // holds more than kStreamHoldBytes not taken.
  bool Queue(uint32_t link, Bytes&& data, bool record);
  void Stray(Destination& destination);
  // The request out to `destination` under another Identifier that `reply` verifies as the answer to, if any.
  Outstanding* AnsweredAnother(const Destination& destination, const RequestView& reply) const;
  void SendProbe(Outstanding& parent, uint64_t now);
  void Finish(Outstanding& request, OutcomeKind kind, const RequestView* reply, uint64_t now);
  void Release(Outstanding& request);

  std::unique_ptr<RadiusSocket> socket_;
  ClientCounters counters_;

  std::mutex inboxLock_;  // JS's thread hands over under it
  std::vector<ClientRequest> submitted_;
  std::vector<uint32_t> cancelled_;
  std::vector<std::pair<uint32_t, Bytes>> streamed_;
  std::vector<std::pair<uint32_t, Bytes>> recorded_;   // OnRecord's: framed while their link is carried
  std::unordered_map<uint32_t, size_t> streamQueued_;  // per link, bytes in streamed_ or recorded_
  std::vector<uint32_t> streamHeld_;                   // links OnStream told JS to stop reading
  std::vector<uint32_t> dropped_;
  std::vector<std::pair<uint32_t, LinkWrite>> carrying_;
  std::unique_ptr<ClientLoad> loadSubmitted_;
  bool loadStop_ = false;
  std::vector<std::unique_ptr<Target>> targets_;  // grown under inboxLock_, never shrunk

  std::mutex outboxLock_;
  ClientEvents events_;
  std::mutex forwardSinkLock_;            // taken before outboxLock_, never after
  std::function<void()> forwardSink_;     // under forwardSinkLock_
  std::vector<ClientOutcome> forwarded_;  // under outboxLock_
  ClientLoadProgress loadProgress_;
  std::atomic<bool> loading_{false};

  // The engine's thread's alone.
  std::map<std::array<uint8_t, 23>, std::unique_ptr<Destination>> destinations_;
  std::unordered_map<uint32_t, Destination*> byLink_;
  std::unordered_map<uint32_t, LinkWrite> carried_;  // links whose far end is native
  StreamFramer framer_;
  std::unordered_map<uint32_t, Outstanding*> byId_;
  std::unique_ptr<LoadRun> load_;
  RadiusLoop loop_;  // last: made once the rest is, and stopped (Close) before any of it goes
};

// The engine's own state, private to it: what the thread keeps of each request, server and load run.
struct RadiusClientEngine::Target {
  Source server;
  std::shared_ptr<const SharedSecret> secret;
};

struct RadiusClientEngine::Outstanding {
  ClientRequest request;
  const Target* target = nullptr;
  Destination* destination = nullptr;
  uint8_t identifier = 0;
  bool probe = false;
  bool load = false;        // a load run's (LoadRun), id 0, counted there
  uint64_t launchedUs = 0;  // a load request's latency runs from here, Identifier wait included
  uint32_t parent = 0;  // a probe's request
  Bytes datagram;
  uint8_t requestAuthenticator[kAuthenticatorLength] = {};
  uint64_t startedUs = 0;
  uint64_t dueUs = 0;
  uint32_t intervalUs = 0;
  bool probeSent = false;
  uint64_t strayAtStart = 0;  // its destination's `strays` when it took its Identifier
  ClientOutcome tally;        // the counts so far
};

// One server's 256 Identifiers (RFC 2865 §3: a reply is matched by Identifier and source),
// handed out round-robin so a late reply to a finished request most likely finds its Identifier
// unused rather than reused.
struct RadiusClientEngine::Destination {
  Source server;
  std::array<std::unique_ptr<Outstanding>, 256> slots;
  size_t used = 0;
  uint8_t next = 0;
  std::deque<std::unique_ptr<Outstanding>> waiting;
  // Replies from this server that answered no request (nothing under their Identifier, a code
  // the request there does not take, or from another port of its address): each request's
  // `stray` is how many came while it was out. Counted, never verified: an MD5 per outstanding
  // request for each of them was the price of naming which request one answered.
  uint64_t strays = 0;
  // A RADIUS/1.1 stream (RFC 9765): Tokens instead of Identifiers, the next one's upper 24 bits.
  bool radius11 = false;
  uint32_t tokens = 0;
};

struct RadiusClientEngine::LoadRun {
  ClientLoad plan;
  const Target* target = nullptr;
  uint64_t startUs = 0;
  uint64_t launched = 0;
  uint32_t inFlight = 0;
  bool stopping = false;
};

}  // namespace eaphost::radius
