// The lane (radius_lane.h) on a thread of its own over a UDP socket: the thread waits in poll()
// on the socket and a wake pipe, reads every datagram waiting, and sends each reply as it is
// made, so no packet waits for Node's event loop. POSIX (radius_socket_posix.cc); Windows keeps
// the JS lane (radius_socket_win32.cc says the native one is not built there).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "radius_lane.h"

namespace eaphost::radius {

struct ListenAddress {
  int family = 4;    // 4 or 6
  std::string host;  // a literal address
  uint16_t port = 0;  // 0: any free one
};

struct LaneError {
  std::string code;  // ERR_RADIUS_LANE_UNAVAILABLE, or the errno's name from JS (errnum)
  std::string message;
  int errnum = 0;
};

class RadiusSocket {
 public:
  virtual ~RadiusSocket() = default;
  virtual uint16_t port() const = 0;
  virtual RadiusLane& lane() = 0;
  // Sends a reply the lane held for its record (ConversationRecord::reply); nothing once closed.
  virtual void SendHeld(const OutgoingDatagram& datagram) = 0;
  // Stops the thread once it has ended every conversation; no notify after it returns. Idempotent.
  virtual void Close() = 0;
};

// `notify` is called on the lane's thread when records are waiting (RadiusLane::TakeRecords).
std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress& address, LaneSettings settings,
                                               std::function<void()> notify, LaneError* error);

}  // namespace eaphost::radius
