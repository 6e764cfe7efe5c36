// Winsock: the socket signals an event when a datagram arrives (WSAEventSelect, which also makes
// it non-blocking), the wake is a second event, and the engine's thread waits on both. Each
// socket holds its own WSAStartup, released with it, so Winsock is up for as long as any is open.
#include "radius_sockaddr.h"

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

namespace eaphost::radius {

namespace {

// The names Node gives these errors, so a failed listen() reads as dgram's; JS names the rest.
const char* ErrorName(int error) {
  return error == WSAEADDRINUSE ? "EADDRINUSE" : error == WSAEADDRNOTAVAIL ? "EADDRNOTAVAIL" : error == WSAEACCES ? "EACCES" : "";
}

class WinsockRadiusSocket final : public RadiusSocket {
 public:
  ~WinsockRadiusSocket() override {
    if (socket_ != INVALID_SOCKET) closesocket(socket_);
    if (readable_ != WSA_INVALID_EVENT) WSACloseEvent(readable_);
    if (wake_ != WSA_INVALID_EVENT) WSACloseEvent(wake_);
    if (started_) WSACleanup();
  }

  // Winsock and the wake; then, with an address, the socket bound to it.
  bool Open(const ListenAddress* address, LaneError* error) {
    WSADATA data;
    int failed = WSAStartup(MAKEWORD(2, 2), &data);
    if (failed != 0) return Failed("WSAStartup", failed, error);
    started_ = true;
    wake_ = WSACreateEvent();
    if (wake_ == WSA_INVALID_EVENT) return Failed("WSACreateEvent", WSAGetLastError(), error);
    if (address == nullptr) return true;
    Source local;
    if (!ListenSource(*address, &local, error)) return false;
    socket_ = socket(local.family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (socket_ == INVALID_SOCKET) return Failed("socket", WSAGetLastError(), error);
    if (local.family == 6) {
      DWORD off = 0;  // dual stack, as Node's udp6 sockets are
      setsockopt(socket_, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char*>(&off), sizeof(off));
    }
    // Room for a burst of replies (radius_socket.h, kReceiveBufferBytes).
    int receiveBuffer = kReceiveBufferBytes;
    setsockopt(socket_, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char*>(&receiveBuffer), sizeof(receiveBuffer));
    // An ICMP port unreachable for a reply would otherwise fail the next recvfrom (WSAECONNRESET).
    BOOL report = FALSE;
    DWORD returned = 0;
    WSAIoctl(socket_, SIO_UDP_CONNRESET, &report, sizeof(report), nullptr, 0, &returned, nullptr, nullptr);
    sockaddr_storage bound;
    int boundLength = ToAddress(local, &bound);
    if (bind(socket_, reinterpret_cast<sockaddr*>(&bound), boundLength) != 0 ||
        getsockname(socket_, reinterpret_cast<sockaddr*>(&bound), &boundLength) != 0) {
      return Failed("bind", WSAGetLastError(), error);
    }
    ToSource(bound, &local);  // the port the system chose when asked for 0
    port_ = local.port;
    readable_ = WSACreateEvent();
    if (readable_ == WSA_INVALID_EVENT) return Failed("WSACreateEvent", WSAGetLastError(), error);
    if (WSAEventSelect(socket_, readable_, FD_READ) != 0) return Failed("WSAEventSelect", WSAGetLastError(), error);
    return true;
  }

  uint16_t port() const override { return port_; }

  bool Wait(int timeoutMs) override {
    WSAEVENT events[2] = {wake_, readable_};
    DWORD count = socket_ != INVALID_SOCKET ? 2 : 1;
    WSAWaitForMultipleEvents(count, events, FALSE, timeoutMs < 0 ? WSA_INFINITE : static_cast<DWORD>(timeoutMs), FALSE);
    // Reset before the waker's work (or the socket) is looked at: a wake or a datagram after
    // this sets its event again. A recvfrom that leaves datagrams waiting signals once more.
    WSAResetEvent(wake_);
    if (count < 2 || WaitForSingleObject(readable_, 0) != WAIT_OBJECT_0) return false;
    WSAResetEvent(readable_);
    return true;
  }

  bool Receive(std::vector<uint8_t>& buffer, size_t* size, Source* from) override {
    for (;;) {
      sockaddr_storage address{};
      int length = sizeof(address);
      int got = recvfrom(socket_, reinterpret_cast<char*>(buffer.data()), static_cast<int>(buffer.size()), 0,
                         reinterpret_cast<sockaddr*>(&address), &length);
      if (got == SOCKET_ERROR) {
        // WSAEWOULDBLOCK: drained. One datagram too long for a RADIUS packet is dropped as such.
        if (WSAGetLastError() != WSAEMSGSIZE) return false;
        continue;
      }
      *size = static_cast<size_t>(got);
      if (ToSource(address, from)) return true;
    }
  }

  void Send(const Bytes& datagram, const Source& to) override {
    sockaddr_storage address;
    int length = ToAddress(to, &address);
    sendto(socket_, reinterpret_cast<const char*>(datagram.data()), static_cast<int>(datagram.size()), 0,
           reinterpret_cast<const sockaddr*>(&address), length);
  }

  void Wake() override { WSASetEvent(wake_); }

  void Release() override {
    if (socket_ != INVALID_SOCKET) closesocket(socket_);
    socket_ = INVALID_SOCKET;
  }

 private:
  static bool Failed(const char* call, int code, LaneError* error) {
    *error = {ErrorName(code), call, code};
    return false;
  }

  bool started_ = false;
  SOCKET socket_ = INVALID_SOCKET;
  WSAEVENT readable_ = WSA_INVALID_EVENT;
  WSAEVENT wake_ = WSA_INVALID_EVENT;
  uint16_t port_ = 0;
};

}  // namespace

std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress* address, LaneError* error) {
  auto made = std::make_unique<WinsockRadiusSocket>();
  if (!made->Open(address, error)) return nullptr;
  return made;
}

}  // namespace eaphost::radius
