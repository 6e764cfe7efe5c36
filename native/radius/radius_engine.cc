#include "radius_engine.h"

#include <algorithm>
#include <chrono>

#include "../common/thread_name.h"

namespace eaphost::radius {

namespace {

// A datagram is read whole whatever its size, as Node's dgram does: the Length field decides.
constexpr size_t kReceiveBufferSize = 65536;
// Datagrams read in one wake before the clock and the step threads are looked at again.
constexpr int kBatch = 64;
// A RadSec connection's packets answered in one turn of JS's event loop. Their replies reach JS
// a turn later, so this bounds what a client that does not read them gets buffered beyond the
// listener's maxBufferedReplyBytes: a few turns' worth of replies, at most 4096 bytes each.
constexpr size_t kPacketsPerTurn = 64;

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace

RadiusEngine::RadiusEngine(std::unique_ptr<RadiusSocket> socket, LaneSettings settings, std::function<void()> notify)
    : socket_(std::move(socket)), lane_(std::move(settings)), notify_(std::move(notify)) {
  lane_.StartStepThreads([this] { socket_->Wake(); });
  thread_ = StartNamedThread("eaphost radius", [this] { Run(); });
}

RadiusEngine::~RadiusEngine() { Close(); }

template <typename Work>
void RadiusEngine::Locked(Outbox& out, Work work) {
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    work(NowMs(), &out);
  }
  for (OutgoingDatagram& datagram : out) {
    if (datagram.destination.link != 0) {
      lane_.PassToJs(std::move(datagram));
    } else {
      socket_->Send(datagram.bytes, datagram.destination);
    }
  }
  out.clear();
}

template <typename Work>
void RadiusEngine::Locked(Work work) {
  Outbox out;
  Locked(out, work);
}

StreamCut RadiusEngine::OnStream(const Bytes& data, const Source& source) {
  StreamCut cut;
  if (closed_) return cut;
  Locked([&](uint64_t now, Outbox* out) {
    size_t& answered = answeredThisTurn_[source.link];
    if (data.empty()) answered = 0;
    cut = framer_.Feed(source.link, data.data(), data.size(), kPacketsPerTurn - answered,
                       [&](const uint8_t* packet, size_t size) { lane_.OnDatagram(packet, size, source, now, out); });
    answered += cut.packets;
    if (cut.broke) lane_.LinkBroken(source.link);
  });
  if (notify_ && lane_.HasForJs()) notify_();
  return cut;
}

void RadiusEngine::DropLink(uint32_t link) {
  std::lock_guard<std::mutex> lock(laneLock_);
  framer_.Drop(link);
  answeredThisTurn_.erase(link);
}

void RadiusEngine::OnAnswer(StoreAnswer& answer) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) { lane_.OnAnswer(answer, now, out); });
  if (notify_ && lane_.HasForJs()) notify_();
}

void RadiusEngine::OnAuthorized(AuthorizeAnswer& answer) {
  if (closed_) return;
  Locked([&](uint64_t now, Outbox* out) { lane_.OnAuthorized(answer, now, out); });
  if (notify_ && lane_.HasForJs()) notify_();
}

void RadiusEngine::Close() {
  if (!thread_.joinable()) return;
  closing_ = true;
  socket_->Wake();
  thread_.join();  // after the lane has stopped its step threads (EndAll)
  closed_ = true;
}

void RadiusEngine::Run() {
  std::vector<uint8_t> buffer(kReceiveBufferSize);
  Source source;
  uint64_t next = 0;
  Outbox out;  // each turn's replies, its room kept from turn to turn
  for (;;) {
    Locked(out, [&](uint64_t now, Outbox* made) { next = lane_.OnClock(now, made); });
    // What this turn made for JS, the clock's included: one call on the event loop for all of it
    // (Notify coalesces the calls JS has not run yet).
    if (notify_ && lane_.HasForJs()) notify_();
    uint64_t now = NowMs();
    int timeout = next == UINT64_MAX ? -1 : static_cast<int>(std::min<uint64_t>(next - std::min(next, now), 60000));
    bool readable = socket_->Wait(timeout);
    if (closing_) break;
    Locked(out, [&](uint64_t at, Outbox* made) { lane_.OnStepsDone(at, made); });
    size_t size = 0;
    for (int i = 0; readable && i < kBatch && socket_->Receive(buffer, &size, &source); ++i) {
      Locked(out, [&](uint64_t at, Outbox* made) { lane_.OnDatagram(buffer.data(), size, source, at, made); });
    }
  }
  std::lock_guard<std::mutex> lock(laneLock_);
  lane_.EndAll();
  if (notify_) notify_();
}

}  // namespace eaphost::radius
