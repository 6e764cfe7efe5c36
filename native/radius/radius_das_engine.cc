#include "radius_das_engine.h"

#include <chrono>

#include "../common/thread_name.h"

namespace eaphost::radius {

namespace {

// A datagram is read whole whatever its size; the Length field decides.
constexpr size_t kReceiveBufferSize = 65536;
// Datagrams read in one wake before JS is told of the requests they brought.
constexpr int kBatch = 64;

int64_t SystemMs() {
  return static_cast<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

DasEngine::DasEngine(std::unique_ptr<RadiusSocket> socket, DasSettings settings, std::function<void()> notify)
    : socket_(std::move(socket)), notify_(std::move(notify)), lane_(std::move(settings)) {
  thread_ = StartNamedThread("eaphost das", [this] { Run(); });
}

DasEngine::~DasEngine() { Close(); }

uint64_t DasEngine::NowMs() const {
  int64_t now = SystemMs() + clockOffsetMs_.load(std::memory_order_relaxed);
  return now < 0 ? 0 : static_cast<uint64_t>(now);
}

void DasEngine::MoveClock(uint64_t nowMs) {
  clockOffsetMs_.store(static_cast<int64_t>(nowMs) - SystemMs(), std::memory_order_relaxed);
}

std::vector<DasEngine::Asked> DasEngine::TakeAsked() {
  std::lock_guard<std::mutex> lock(laneLock_);
  std::vector<Asked> taken;
  taken.swap(asked_);
  return taken;
}

void DasEngine::OnVerdict(uint32_t id, bool done, uint32_t errorCause) {
  if (closed_) return;
  Bytes reply;
  Source to;
  {
    std::lock_guard<std::mutex> lock(laneLock_);
    auto found = sources_.find(id);
    if (found == sources_.end()) return;
    to = std::move(found->second);
    sources_.erase(found);
    reply = lane_.OnVerdict(id, done, errorCause, NowMs());
  }
  if (!reply.empty()) socket_->Send(reply, to);
}

DasCounters DasEngine::counters() {
  std::lock_guard<std::mutex> lock(laneLock_);
  return lane_.counters();
}

void DasEngine::Close() {
  closed_ = true;  // no verdict is sent after this
  if (thread_.joinable()) {
    closing_ = true;
    socket_->Wake();
    thread_.join();
    socket_->Release();
  }
  std::lock_guard<std::mutex> lock(laneLock_);
  lane_.Clear();
  asked_.clear();
  sources_.clear();
}

void DasEngine::Run() {
  std::vector<uint8_t> buffer(kReceiveBufferSize);
  Source source;
  for (;;) {
    bool readable = socket_->Wait(-1);
    if (closing_) break;
    bool asked = false;
    size_t size = 0;
    for (int i = 0; readable && i < kBatch && socket_->Receive(buffer, &size, &source); ++i) {
      DasOutcome outcome;
      {
        std::lock_guard<std::mutex> lock(laneLock_);
        outcome = lane_.OnDatagram(buffer.data(), size, source, NowMs());
        if (outcome.kind == DasOutcome::Kind::kAsk) {
          sources_[outcome.request.id] = source;
          asked_.push_back({std::move(outcome.request), source.text});
          asked = true;
        }
      }
      if (outcome.kind == DasOutcome::Kind::kReply) socket_->Send(outcome.reply, source);
    }
    if (asked && notify_) notify_();
  }
}

}  // namespace eaphost::radius
