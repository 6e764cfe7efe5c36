// The RADIUS engine: the lane (radius_lane.h) on a thread of its own over the OS's socket
// (radius_socket.h). The thread waits for a datagram or a wake, reads every datagram waiting and
// sends each reply as it is made, so no packet waits for Node's event loop. What only JS has
// reaches it through its inbox (a RadSec connection's datagrams, a user store's answers); what
// the lane has for JS (records, questions for the store, RadSec's replies) is taken by JS when
// `notify` says there is some.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "radius_socket.h"

namespace eaphost::radius {

class RadiusEngine {
 public:
  // `notify` is called on the engine's thread when the lane has something for JS (TakeForJs).
  RadiusEngine(std::unique_ptr<RadiusSocket> socket, LaneSettings settings, std::function<void()> notify);
  ~RadiusEngine();
  RadiusEngine(const RadiusEngine&) = delete;
  RadiusEngine& operator=(const RadiusEngine&) = delete;

  uint16_t port() const { return socket_->port(); }
  RadiusLane& lane() { return lane_; }
  // Any thread: handed to the engine's thread, which each wakes.
  void Post(Bytes datagram, Source source);
  void Post(StoreAnswer answer);
  // A verdict the lane held for its record (ConversationRecord::reply), out over UDP; nothing
  // once closed (a RadSec connection's is JS's to write).
  void SendHeld(const OutgoingDatagram& datagram);
  // Stops the thread once it has ended every conversation; no notify after it returns. Idempotent.
  void Close();

 private:
  template <typename Put>
  void PostWith(Put put);
  void Run();
  void Flush(Outbox& out);

  std::unique_ptr<RadiusSocket> socket_;
  RadiusLane lane_;
  std::function<void()> notify_;
  std::mutex inboxLock_;
  bool closing_ = false;
  std::vector<std::pair<Bytes, Source>> datagrams_;
  std::vector<StoreAnswer> answers_;
  std::atomic<bool> closed_{false};
  std::thread thread_;
};

}  // namespace eaphost::radius
