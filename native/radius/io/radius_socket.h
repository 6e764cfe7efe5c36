// The OS's half of the RADIUS loop (radius_loop.h) every role runs on: the UDP socket it serves, and
// the wake by which other threads end its wait (a step thread done, the close). POSIX: poll() on
// the socket and a pipe (radius_socket_posix.cc); Windows: Winsock, the socket's and the wake's
// events (radius_socket_win32.cc). Opened without an address it has no socket, only the wake:
// every datagram then comes from JS (RadSec).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../wire/radius_base.h"

namespace eaphost::radius {

struct ListenAddress {
  std::string host;  // a literal address, IPv4 or IPv6
  uint16_t port = 0;  // 0: any free one
};

class RadiusSocket {
 public:
  virtual ~RadiusSocket() = default;
  virtual uint16_t port() const = 0;
  // Waits for a datagram (true), a wake or timeoutMs (-1: no limit), whichever comes first.
  virtual bool Wait(int timeoutMs) = 0;
  // The next datagram waiting, read whole into `buffer`; false when none is.
  virtual bool Receive(std::vector<uint8_t>& buffer, size_t* size, Source* from) = 0;
  // UDP: a reply the system cannot take now is lost, as a NAS expects, and it retries.
  virtual void Send(const Bytes& datagram, const Source& to) = 0;
  // Any thread: the next Wait (or the one in progress) returns at once.
  virtual void Wake() = 0;
  // Closes the socket, its port free again, once the thread that read it has ended; the wake
  // stays. A Send after it goes nowhere.
  virtual void Release() = 0;
};

// `address` null: the wake alone. Null with *error when the socket cannot be made or bound.
// The receive buffer asked for (the system may give less): 4 MiB, a few thousand replies.
constexpr int kReceiveBufferBytes = 4 * 1024 * 1024;

std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress* address, LaneError* error);

}  // namespace eaphost::radius
