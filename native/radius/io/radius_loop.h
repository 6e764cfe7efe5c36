// The one event loop the RADIUS roles run on (the lane's engine, the DAS's, the client's), as
// every hostap RADIUS role registers its socket with src/utils/eloop.c: a thread named for the
// role waits on the role's socket (radius_socket.h) until a datagram, a wake or a deadline, which
// every wait has; it reads what waits in one batch into one buffer and hands each datagram to the
// role's handler; and once a turn it tells JS, through the one notify, when the role has
// something for it. The role's own work (its clock, what JS handed over, steps come back) runs in
// the handler's turn, on this thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>

#include "radius_socket.h"

namespace eaphost::radius {

// A role's part in the loop: every call on the loop's thread.
class LoopHandler {
 public:
  virtual ~LoopHandler() = default;
  // Each turn, before the wait: the work due at `nowUs` (steady clock, RadiusLoop::NowUs);
  // returns when the role wants its next turn (UINT64_MAX: no time of its own).
  virtual uint64_t OnTurn(uint64_t nowUs) = 0;
  // The wait has ended (a datagram, a wake or the deadline), before any datagram is read.
  virtual void OnWake() {}
  virtual void OnDatagram(const uint8_t* data, size_t size, const Source& from, uint64_t nowUs) = 0;
  // After each turn: whether JS is to be told (notify) that the role has something for it.
  virtual bool TellJs() = 0;
  // The loop's last call, once it has stopped waiting.
  virtual void OnEnd() {}
};

class RadiusLoop {
 public:
  // Datagrams are read whole whatever their size, as Node's dgram does: the Length field decides.
  static constexpr size_t kReceiveBufferSize = 65536;
  // Datagrams read in one wake before the role's turn (its clock, JS's work) comes again.
  static constexpr int kBatch = 64;
  // The longest wait: a role with no time of its own still has a turn a minute.
  static constexpr uint64_t kMaxWaitUs = 60ull * 1000 * 1000;

  // `notify` is called on the loop's thread, or on JS's by Notify().
  RadiusLoop(RadiusSocket& socket, std::function<void()> notify);
  ~RadiusLoop();
  RadiusLoop(const RadiusLoop&) = delete;
  RadiusLoop& operator=(const RadiusLoop&) = delete;

  // Starts the thread, named `name`, running `handler`'s turns until Stop.
  void Start(const char* name, LoopHandler* handler);
  // Ends the wait and joins the thread after its OnEnd; false when no thread ran. Idempotent.
  bool Stop();
  // JS is told now (no-op without a notify).
  void Notify() const;
  // Whether the caller is the loop's thread (in one of its handler's calls).
  bool OnLoopThread() const { return std::this_thread::get_id() == thread_.get_id(); }
  static uint64_t NowUs();

 private:
  void Run(LoopHandler& handler);

  RadiusSocket& socket_;
  std::function<void()> notify_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace eaphost::radius
