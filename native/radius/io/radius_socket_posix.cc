#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "radius_sockaddr.h"

namespace eaphost::radius {

namespace {

bool NonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL, 0);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

class PosixRadiusSocket final : public RadiusSocket {
 public:
  PosixRadiusSocket(int fd, const int wake[2]) : fd_(fd), wakeRead_(wake[0]), wakeWrite_(wake[1]) {}
  ~PosixRadiusSocket() override {
    for (int end : {fd_, wakeRead_, wakeWrite_}) {
      if (end >= 0) close(end);
    }
  }

  uint16_t port() const override { return port_; }
  void Bound(uint16_t port) { port_ = port; }

  bool Wait(int timeoutMs) override {
    pollfd waits[2] = {{wakeRead_, POLLIN, 0}, {fd_, POLLIN, 0}};
    if (poll(waits, fd_ >= 0 ? 2 : 1, timeoutMs) <= 0) return false;
    if (waits[0].revents != 0) {
      // Emptied before the waker's work is looked at: a wake after this one wakes poll again.
      // A read short of the buffer took every byte there was (no second read to hear EAGAIN).
      char drained[64];
      while (read(wakeRead_, drained, sizeof(drained)) == static_cast<ssize_t>(sizeof(drained))) {
      }
    }
    return (waits[1].revents & POLLIN) != 0;
  }

  bool Receive(std::vector<uint8_t>& buffer, size_t* size, Source* from) override {
    for (;;) {
      sockaddr_storage address{};
      socklen_t length = sizeof(address);
      // EAGAIN: drained (any other error: poll says so next).
      ssize_t got = recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&address), &length);
      if (got < 0) return false;
      *size = static_cast<size_t>(got);
      if (ToSource(address, from)) return true;
    }
  }

  void Send(const Bytes& datagram, const Source& to) override {
    sockaddr_storage address;
    socklen_t length = ToAddress(to, &address);
    sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&address), length);
  }

  void Release() override {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  void Wake() override {
    char byte = 1;
    // A full pipe already holds a wake the thread has yet to take.
    while (write(wakeWrite_, &byte, 1) < 0 && errno == EINTR) {
    }
  }

 private:
  int fd_;
  int wakeRead_;
  int wakeWrite_;
  uint16_t port_ = 0;
};

}  // namespace

std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress* address, LaneError* error) {
  int wake[2] = {-1, -1};
  if (pipe(wake) != 0 || !NonBlocking(wake[0]) || !NonBlocking(wake[1])) {
    *error = {"", "pipe", errno};
    for (int end : wake) {
      if (end >= 0) close(end);
    }
    return nullptr;
  }
  if (address == nullptr) return std::make_unique<PosixRadiusSocket>(-1, wake);
  Source local;
  int fd = -1;
  if (ListenSource(*address, &local, error)) {
    fd = socket(local.family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) *error = {"", "socket", errno};
  }
  auto made = std::make_unique<PosixRadiusSocket>(fd, wake);  // closes them all on failure
  if (fd < 0) return nullptr;
  if (local.family == 6) {
    int off = 0;  // dual stack, as Node's udp6 sockets are
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  // Room for a burst: 256 replies in flight per server (and more servers, or junk beside them)
  // overflow the default (~208 KiB, ~270 datagrams with their overhead) whenever the thread
  // is a moment late. Past net.core.rmem_max only a privileged process gets it (FORCE); the
  // rest take what the system allows.
  int receiveBuffer = kReceiveBufferBytes;
#if defined(SO_RCVBUFFORCE)
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receiveBuffer, sizeof(receiveBuffer)) != 0)
#endif
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof(receiveBuffer));
  sockaddr_storage bound;
  socklen_t boundLength = ToAddress(local, &bound);
  if (!NonBlocking(fd) || bind(fd, reinterpret_cast<sockaddr*>(&bound), boundLength) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength) != 0) {
    *error = {"", "bind", errno};
    return nullptr;
  }
  ToSource(bound, &local);  // the port the system chose when asked for 0
  made->Bound(local.port);
  return made;
}

}  // namespace eaphost::radius
