// The RADIUS engine: the lane (radius_lane.h) on a thread of its own over the OS's socket
// (radius_socket.h). The thread waits for a datagram or a wake, reads every datagram waiting and
// sends each reply as it is made, so no packet waits for Node's event loop. What only JS has (a
// RadSec connection's datagram, a user store's answer) is handled on JS's thread when JS hands it
// over, under the lane's lock, which the engine's thread holds only while it handles a datagram,
// the clock or a step come back: one thread at a time touches the lane, and handing JS's work
// over costs no wake of the engine's thread. What the lane has for JS (records, questions for
// the store, RadSec's replies) is taken by JS when `notify` says there is some.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "radius_socket.h"

namespace eaphost::radius {

class RadiusEngine {
 public:
  // `notify` is called (on the engine's thread, or JS's) when the lane has something for JS.
  RadiusEngine(std::unique_ptr<RadiusSocket> socket, LaneSettings settings, std::function<void()> notify);
  ~RadiusEngine();
  RadiusEngine(const RadiusEngine&) = delete;
  RadiusEngine& operator=(const RadiusEngine&) = delete;

  uint16_t port() const { return socket_->port(); }
  RadiusLane& lane() { return lane_; }
  // JS's thread: handled at once; nothing once closed.
  void OnDatagram(const Bytes& datagram, const Source& source);
  void OnAnswer(StoreAnswer& answer);
  // A verdict the lane held for its record (ConversationRecord::reply), out over UDP; nothing
  // once closed (a RadSec connection's is JS's to write).
  void SendHeld(const OutgoingDatagram& datagram);
  // Stops the thread once it has ended every conversation; no notify after it returns. Idempotent.
  void Close();

 private:
  // `work(nowMs, out)` under the lane's lock, its replies sent; then JS told of what it made.
  template <typename Work>
  void Locked(Work work);
  void Run();

  std::unique_ptr<RadiusSocket> socket_;
  RadiusLane lane_;
  std::function<void()> notify_;
  std::mutex laneLock_;
  std::atomic<bool> closing_{false};
  std::atomic<bool> closed_{false};
  std::thread thread_;
};

}  // namespace eaphost::radius
