#include "tls_ocsp_socket.h"

// winsock2.h before windows.h (which would otherwise bring in the old winsock.h).
#include <winsock2.h>
#include <ws2tcpip.h>

#include "../../support/method_error.h"

namespace eaphost {
namespace tls {

namespace {
struct Addresses {
  addrinfo* list = nullptr;
  ~Addresses() {
    if (list != nullptr) freeaddrinfo(list);
  }
};

SOCKET Handle(std::intptr_t handle) { return static_cast<SOCKET>(handle); }

// Waits until `s` is writable (or, for a connect, has failed) or readable, until `deadline`.
// select(), not WSAPoll: WSAPoll does not report a refused non-blocking connect before Windows
// 10 2004 (it waits out the timeout), select() reports it in exceptfds.
bool Wait(SOCKET s, bool write, Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  fd_set ready;
  fd_set failed;
  FD_ZERO(&ready);
  FD_ZERO(&failed);
  FD_SET(s, &ready);
  FD_SET(s, &failed);
  timeval wait{static_cast<long>(left.count() / 1000), static_cast<long>((left.count() % 1000) * 1000)};
  // The first argument is ignored by Winsock.
  const int rc = select(0, write ? nullptr : &ready, write ? &ready : nullptr, &failed, &wait);
  return rc > 0;
}
}  // namespace

OcspSocket::OcspSocket() {
  WSADATA data;
  started_ = WSAStartup(MAKEWORD(2, 2), &data) == 0;
}

OcspSocket::~OcspSocket() {
  if (handle_ != static_cast<std::intptr_t>(INVALID_SOCKET)) closesocket(Handle(handle_));
  if (started_) WSACleanup();
}

bool OcspSocket::Connect(const std::string& host, const std::string& port, Deadline deadline, std::string* why) {
  if (!started_) {
    *why = "Winsock could not be started";
    return false;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  Addresses addresses;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &addresses.list) != 0 || addresses.list == nullptr) {
    *why = "its address cannot be resolved";
    return false;
  }
  const SOCKET s = socket(addresses.list->ai_family, SOCK_STREAM, 0);
  handle_ = static_cast<std::intptr_t>(s);
  u_long nonBlocking = 1;
  if (s == INVALID_SOCKET || ioctlsocket(s, FIONBIO, &nonBlocking) != 0) {
    *why = "no socket could be made";
    return false;
  }
  if (connect(s, addresses.list->ai_addr, static_cast<int>(addresses.list->ai_addrlen)) != 0 &&
      WSAGetLastError() != WSAEWOULDBLOCK) {
    *why = "the connection was refused (WSA error " + Decimal(static_cast<unsigned>(WSAGetLastError())) + ")";
    return false;
  }
  int error = 0;
  int size = sizeof(error);
  if (!Wait(s, true, deadline) ||
      getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &size) != 0 || error != 0) {
    *why = error != 0 ? "the connection was refused (WSA error " + Decimal(static_cast<unsigned>(error)) + ")"
                      : "it did not answer in time";
    return false;
  }
  return true;
}

bool OcspSocket::SendAll(const char* data, std::size_t size, Deadline deadline, std::string* why) {
  const SOCKET s = Handle(handle_);
  for (std::size_t sent = 0; sent < size;) {
    if (!Wait(s, true, deadline)) {
      *why = "it did not take the request in time";
      return false;
    }
    const std::size_t left = size - sent;
    const int n = send(s, data + sent, left > 65536 ? 65536 : static_cast<int>(left), 0);
    if (n == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
      *why = "the connection broke while sending";
      return false;
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  return true;
}

long OcspSocket::Receive(unsigned char* into, std::size_t size, Deadline deadline, std::string* why) {
  const SOCKET s = Handle(handle_);
  for (;;) {
    if (!Wait(s, false, deadline)) {
      *why = "it did not answer in time";
      return -1;
    }
    const int n = recv(s, reinterpret_cast<char*>(into), size > 65536 ? 65536 : static_cast<int>(size), 0);
    if (n >= 0) return n;
    if (WSAGetLastError() != WSAEWOULDBLOCK) {
      *why = "the connection broke while reading";
      return -1;
    }
  }
}

}  // namespace tls
}  // namespace eaphost
