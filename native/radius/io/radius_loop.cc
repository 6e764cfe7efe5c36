#include "radius_loop.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "../../common/thread_name.h"

namespace eaphost::radius {

RadiusLoop::RadiusLoop(RadiusSocket& socket, std::function<void()> notify)
    : socket_(socket), notify_(std::move(notify)) {}

RadiusLoop::~RadiusLoop() { Stop(); }

uint64_t RadiusLoop::NowUs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

void RadiusLoop::Start(const char* name, LoopHandler* handler) {
  thread_ = StartNamedThread(name, [this, handler] { Run(*handler); });
}

bool RadiusLoop::Stop() {
  if (!thread_.joinable()) return false;
  stopping_ = true;
  socket_.Wake();
  thread_.join();
  return true;
}

void RadiusLoop::Notify() const {
  if (notify_) notify_();
}

void RadiusLoop::Run(LoopHandler& handler) {
  std::vector<uint8_t> buffer(kReceiveBufferSize);
  Source from;
  for (;;) {
    uint64_t next = handler.OnTurn(NowUs());
    // What this turn made for JS: one call on the event loop for all of it.
    if (handler.TellJs()) Notify();
    uint64_t now = NowUs();
    uint64_t waitUs = std::min(next - std::min(next, now), kMaxWaitUs);
    bool readable = socket_.Wait(static_cast<int>((waitUs + 999) / 1000));
    if (stopping_) break;
    handler.OnWake();
    size_t size = 0;
    for (int i = 0; readable && i < kBatch && socket_.Receive(buffer, &size, &from); ++i) {
      handler.OnDatagram(buffer.data(), size, from, NowUs());
    }
  }
  handler.OnEnd();
}

}  // namespace eaphost::radius
