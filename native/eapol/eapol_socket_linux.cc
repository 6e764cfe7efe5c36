// The EAPOL port on Linux: an AF_PACKET socket bound to one interface for EtherType 0x888E, a
// member of the PAE group address, non-blocking. A reader thread of its own waits in poll() on
// the socket and an eventfd (Close() writes it), so no read ever blocks Node's event loop.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "../common/thread_name.h"
#include "eapol_socket.h"

namespace eaphost::eapol {

namespace {

// Jumbo frames included: anything longer is cut by the kernel (MSG_TRUNC) and counted malformed.
constexpr size_t kReceiveBufferSize = 9216 + kEthernetHeaderSize;

std::string Errno(const char* call, int number) {
  return std::string(call) + " failed (errno " + std::to_string(number) + ")";
}

class LinuxEapolSocket final : public EapolSocket {
 public:
  LinuxEapolSocket(int fd, int wake, int ifIndex, MacAddress address, uint32_t mtu, FrameSink sink)
      : fd_(fd), wake_(wake), ifIndex_(ifIndex), address_(address), mtu_(mtu), sink_(std::move(sink)) {
    reader_ = StartNamedThread("eaphost eapol", [this] { Read(); });
  }
  ~LinuxEapolSocket() override { Close(); }

  const MacAddress& address() const override { return address_; }
  uint32_t mtu() const override { return mtu_; }
  const PortCounters& counters() override {
    std::lock_guard<std::mutex> lock(sendLock_);
    // PACKET_STATISTICS resets the kernel's counts on every read: they are added up here.
    tpacket_stats kernel{};
    socklen_t length = sizeof kernel;
    if (fd_ >= 0 && getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &kernel, &length) == 0) {
      counters_.kernelDrops.fetch_add(kernel.tp_drops, std::memory_order_relaxed);
    }
    return counters_;
  }

  bool Send(const std::vector<uint8_t>& frame, PortError* error) override {
    std::lock_guard<std::mutex> lock(sendLock_);
    if (fd_ < 0) {
      error->code = "ERR_EAPOL_CLOSED";
      error->message = "the EAPOL port is closed";
      return false;
    }
    ssize_t written = send(fd_, frame.data(), frame.size(), MSG_DONTWAIT);
    if (written != static_cast<ssize_t>(frame.size())) {
      const int number = errno;
      error->code = number == ENETDOWN ? "ERR_EAPOL_INTERFACE_DOWN" : "ERR_EAPOL_SEND";
      error->message = number == ENETDOWN ? "the interface went down: bring it up with `ip link set <interface> up`"
                                          : Errno("send", number);
      return false;
    }
    counters_.sent.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(closeLock_);
    if (reader_.joinable()) {
      const uint64_t one = 1;
      // The reader wakes on the eventfd; write() can only fail if the counter would overflow.
      ssize_t ignored = write(wake_, &one, sizeof one);
      (void)ignored;
      reader_.join();
    }
    std::lock_guard<std::mutex> sending(sendLock_);
    if (fd_ >= 0) close(fd_);
    if (wake_ >= 0) close(wake_);
    fd_ = wake_ = -1;
  }

 private:
  void Read() {
    std::vector<uint8_t> buffer(kReceiveBufferSize);
    pollfd waits[2] = {{fd_, POLLIN, 0}, {wake_, POLLIN, 0}};
    for (;;) {
      waits[0].revents = waits[1].revents = 0;
      if (poll(waits, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (waits[1].revents != 0) return;
      if ((waits[0].revents & (POLLERR | POLLNVAL)) != 0 && (waits[0].revents & POLLIN) == 0) return;
      for (;;) {
        sockaddr_ll from{};
        socklen_t fromLength = sizeof from;
        ssize_t got = recvfrom(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (got < 0) break;  // EAGAIN: drained (any other error: poll says so next)
        Deliver(buffer.data(), static_cast<size_t>(got), from);
      }
    }
  }

  void Deliver(const uint8_t* frame, size_t length, const sockaddr_ll& from) {
    // AF_PACKET also shows what this host sends; a frame from another interface can slip in
    // before bind() took effect.
    if (from.sll_pkttype == PACKET_OUTGOING || from.sll_ifindex != ifIndex_) {
      counters_.ignored.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    FrameView view;
    if (length > kReceiveBufferSize || ParseFrame(frame, length, &view) != FrameVerdict::kWellFormed) {
      counters_.malformed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (view.destination != address_ && view.destination != kPaeGroupAddress) {
      counters_.ignored.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    counters_.received.fetch_add(1, std::memory_order_relaxed);
    sink_(view);
  }

  int fd_;
  int wake_;
  const int ifIndex_;
  const MacAddress address_;
  const uint32_t mtu_;
  const FrameSink sink_;
  PortCounters counters_;
  std::mutex sendLock_;
  std::mutex closeLock_;
  std::thread reader_;
};

/** Closes a descriptor unless released: every early return of OpenEapolSocket leaks nothing. */
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
  int release() {
    int out = fd;
    fd = -1;
    return out;
  }
};

bool Fail(PortError* error, const char* code, std::string message) {
  error->code = code;
  error->message = std::move(message);
  return false;
}

/** The interface's index, flags, MAC and MTU; false with `error` saying which check failed and how to fix it. */
bool ReadInterface(int fd, const std::string& name, int* ifIndex, MacAddress* address, uint32_t* mtu,
                   PortError* error) {
  if (name.empty() || name.size() >= IFNAMSIZ || name.find('\0') != std::string::npos) {
    return Fail(error, "ERR_EAPOL_NO_INTERFACE", "'" + name + "' is not an interface name (1 to 15 bytes)");
  }
  ifreq request{};
  std::memcpy(request.ifr_name, name.data(), name.size());
  if (ioctl(fd, SIOCGIFINDEX, &request) < 0) {
    return Fail(error, "ERR_EAPOL_NO_INTERFACE",
                "no interface named " + name + " (`ip link show` lists the interfaces of this network namespace)");
  }
  *ifIndex = request.ifr_ifindex;
  if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) return Fail(error, "ERR_EAPOL_IO", Errno("SIOCGIFFLAGS", errno));
  if ((request.ifr_flags & IFF_UP) == 0) {
    return Fail(error, "ERR_EAPOL_INTERFACE_DOWN",
                "interface " + name + " is down: bring it up with `ip link set " + name + " up`");
  }
  if (ioctl(fd, SIOCGIFHWADDR, &request) < 0) return Fail(error, "ERR_EAPOL_IO", Errno("SIOCGIFHWADDR", errno));
  if (request.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return Fail(error, "ERR_EAPOL_NOT_ETHERNET", "interface " + name + " is not an Ethernet interface");
  }
  std::memcpy(address->data(), request.ifr_hwaddr.sa_data, address->size());
  *mtu = ioctl(fd, SIOCGIFMTU, &request) < 0 ? 1500 : static_cast<uint32_t>(request.ifr_mtu);
  return true;
}

}  // namespace

std::unique_ptr<EapolSocket> OpenEapolSocket(const std::string& interfaceName, EapolSocket::FrameSink sink,
                                             PortError* error) {
  Descriptor fd{socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(kEtherType))};
  if (fd.fd < 0) {
    const int number = errno;
    if (number == EPERM || number == EACCES) {
      Fail(error, "ERR_EAPOL_PERMISSION",
           "opening an EAPOL port on " + interfaceName + " needs CAP_NET_RAW: run as root, or grant it with "
           "`setcap cap_net_raw+ep $(command -v node)`");
    } else {
      Fail(error, "ERR_EAPOL_IO", Errno("socket(AF_PACKET)", number));
    }
    return nullptr;
  }
  int ifIndex = 0;
  MacAddress address{};
  uint32_t mtu = 0;
  if (!ReadInterface(fd.fd, interfaceName, &ifIndex, &address, &mtu, error)) return nullptr;

  sockaddr_ll bound{};
  bound.sll_family = AF_PACKET;
  bound.sll_protocol = htons(kEtherType);
  bound.sll_ifindex = ifIndex;
  if (bind(fd.fd, reinterpret_cast<sockaddr*>(&bound), sizeof bound) < 0) {
    Fail(error, "ERR_EAPOL_IO", Errno("bind", errno));
    return nullptr;
  }
  packet_mreq membership{};
  membership.mr_ifindex = ifIndex;
  membership.mr_type = PACKET_MR_MULTICAST;
  membership.mr_alen = static_cast<unsigned short>(kPaeGroupAddress.size());
  std::memcpy(membership.mr_address, kPaeGroupAddress.data(), kPaeGroupAddress.size());
  if (setsockopt(fd.fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership) < 0) {
    Fail(error, "ERR_EAPOL_IO", Errno("PACKET_ADD_MEMBERSHIP", errno));
    return nullptr;
  }
  Descriptor wake{eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
  if (wake.fd < 0) {
    Fail(error, "ERR_EAPOL_IO", Errno("eventfd", errno));
    return nullptr;
  }
  // Frames queued before bind() may come from any interface; the reader checks sll_ifindex anyway.
  return std::make_unique<LinuxEapolSocket>(fd.release(), wake.release(), ifIndex, address, mtu, std::move(sink));
}

}  // namespace eaphost::eapol
