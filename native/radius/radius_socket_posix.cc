#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "radius_socket.h"

namespace eaphost::radius {

namespace {

// A datagram is read whole whatever its size, as Node's dgram does: the Length field decides.
constexpr size_t kReceiveBufferSize = 65536;
// Datagrams read in one wake before the clock is looked at again.
constexpr int kBatch = 64;

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

bool NonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL, 0);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

bool ToSource(const sockaddr_storage& from, Source* source) {
  char text[INET6_ADDRSTRLEN] = {};
  if (from.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&from);
    source->family = 4;
    std::memcpy(source->address, &v4->sin_addr, 4);
    source->port = ntohs(v4->sin_port);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  } else if (from.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&from);
    source->family = 6;
    std::memcpy(source->address, &v6->sin6_addr, 16);
    source->port = ntohs(v6->sin6_port);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
  } else {
    return false;
  }
  if (source->text != text) source->text = text;
  return true;
}

socklen_t ToAddress(const Source& to, sockaddr_storage* address) {
  *address = sockaddr_storage{};
  if (to.family == 4) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(address);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(to.port);
    std::memcpy(&v4->sin_addr, to.address, 4);
    return sizeof(sockaddr_in);
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(address);
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(to.port);
  std::memcpy(&v6->sin6_addr, to.address, 16);
  return sizeof(sockaddr_in6);
}

class PosixRadiusSocket final : public RadiusSocket {
 public:
  PosixRadiusSocket(int fd, const int wake[2], const int stepsDone[2], uint16_t boundPort, LaneSettings settings,
                    std::function<void()> notify)
      : fd_(fd), wakeRead_(wake[0]), wakeWrite_(wake[1]), doneRead_(stepsDone[0]), doneWrite_(stepsDone[1]),
        port_(boundPort), lane_(std::move(settings)), notify_(std::move(notify)) {
    lane_.StartStepThreads([this] {
      char byte = 1;
      // A full pipe already holds a wake the lane thread has yet to take.
      while (write(doneWrite_, &byte, 1) < 0 && errno == EINTR) {
      }
    });
    thread_ = std::thread([this] { Run(); });
  }
  ~PosixRadiusSocket() override { Close(); }

  uint16_t port() const override { return port_; }
  RadiusLane& lane() override { return lane_; }
  void SendHeld(const OutgoingDatagram& datagram) override {
    if (fd_ < 0) return;
    Outbox one{datagram};
    Send(one);
  }

  void Close() override {
    if (fd_ < 0) return;
    char byte = 1;
    // The thread wakes on the pipe; a full pipe already holds a wake.
    while (write(wakeWrite_, &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();  // after the lane has stopped its step threads (EndAll)
    close(fd_);
    close(wakeRead_);
    close(wakeWrite_);
    close(doneRead_);
    close(doneWrite_);
    fd_ = -1;
  }

 private:
  void Run() {
    std::vector<uint8_t> buffer(kReceiveBufferSize);
    Outbox out;
    Source source;
    for (;;) {
      uint64_t now = NowMs();
      uint64_t next = lane_.OnClock(now, &out);
      Send(out);
      int timeout = next == UINT64_MAX ? -1 : static_cast<int>(std::min<uint64_t>(next - std::min(next, now), 60000));
      pollfd waits[3] = {{fd_, POLLIN, 0}, {wakeRead_, POLLIN, 0}, {doneRead_, POLLIN, 0}};
      if (poll(waits, 3, timeout) < 0 && errno != EINTR) break;
      if (waits[1].revents != 0) break;
      if (waits[2].revents != 0) {
        // Emptied before the done list is taken: a step done after the take wakes poll again.
        char drained[64];
        while (read(doneRead_, drained, sizeof(drained)) > 0) {
        }
        lane_.OnStepsDone(NowMs(), &out);
        Send(out);
        if (notify_) notify_();
      }
      if ((waits[0].revents & POLLIN) == 0) continue;
      now = NowMs();
      for (int i = 0; i < kBatch; ++i) {
        sockaddr_storage from{};
        socklen_t fromLength = sizeof(from);
        ssize_t got = recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (got < 0) break;  // EAGAIN: drained (any other error: poll says so next)
        if (!ToSource(from, &source)) continue;
        lane_.OnDatagram(buffer.data(), static_cast<size_t>(got), source, now, &out);
        Send(out);
      }
      if (notify_) notify_();
    }
    lane_.EndAll();
    if (notify_) notify_();
  }

  void Send(Outbox& out) {
    for (const OutgoingDatagram& datagram : out) {
      sockaddr_storage to;
      socklen_t length = ToAddress(datagram.destination, &to);
      // UDP: a reply the kernel cannot take now is lost, as a NAS expects, and it retries.
      sendto(fd_, datagram.bytes.data(), datagram.bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), length);
    }
    out.clear();
  }

  int fd_;
  int wakeRead_;
  int wakeWrite_;
  int doneRead_;
  int doneWrite_;
  uint16_t port_;
  RadiusLane lane_;
  std::function<void()> notify_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress& address, LaneSettings settings,
                                               std::function<void()> notify, LaneError* error) {
  Source local;
  local.family = address.family == 6 ? 6 : 4;
  local.port = address.port;
  if (inet_pton(local.family == 6 ? AF_INET6 : AF_INET, address.host.c_str(), local.address) != 1) {
    *error = {"EINVAL", std::string("not an IPv") + (local.family == 6 ? "6" : "4") + " address: " + address.host, EINVAL};
    return nullptr;
  }
  sockaddr_storage bound;
  socklen_t boundLength = ToAddress(local, &bound);
  int fd = socket(local.family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    *error = {"", "socket", errno};
    return nullptr;
  }
  if (local.family == 6) {
    int off = 0;  // dual stack, as Node's udp6 sockets are
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  int wake[2] = {-1, -1};
  int stepsDone[2] = {-1, -1};
  auto pipeMade = [](int ends[2]) { return pipe(ends) == 0 && NonBlocking(ends[0]) && NonBlocking(ends[1]); };
  if (!NonBlocking(fd) || bind(fd, reinterpret_cast<sockaddr*>(&bound), boundLength) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength) != 0 || !pipeMade(wake) ||
      !pipeMade(stepsDone)) {
    *error = {"", "bind", errno};
    close(fd);
    for (int end : {wake[0], wake[1], stepsDone[0], stepsDone[1]}) {
      if (end >= 0) close(end);
    }
    return nullptr;
  }
  ToSource(bound, &local);  // the port the system chose when asked for 0
  return std::make_unique<PosixRadiusSocket>(fd, wake, stepsDone, local.port, std::move(settings), std::move(notify));
}

}  // namespace eaphost::radius
