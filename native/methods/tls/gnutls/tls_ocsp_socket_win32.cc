// Winsock under OcspSocket (tls_ocsp_socket.h).
// winsock2.h before windows.h (which would otherwise bring in the old winsock.h).
#include <winsock2.h>
#include <ws2tcpip.h>

#include "../../support/method_error.h"
#include "tls_ocsp_socket.h"

namespace eaphost {
namespace tls {
namespace socket_os {

namespace {
SOCKET Handle(std::intptr_t handle) { return static_cast<SOCKET>(handle); }
// Winsock moves at most an int's worth per call; 64 KiB keeps each call small.
int Chunk(std::size_t size) { return size > 65536 ? 65536 : static_cast<int>(size); }
}  // namespace

bool Start() {
  WSADATA data;
  return WSAStartup(MAKEWORD(2, 2), &data) == 0;
}

void Stop() { WSACleanup(); }

std::intptr_t StartConnect(const std::string& host, const std::string& port, bool* pending, std::string* why) {
  ADDRINFOA hints{};
  hints.ai_socktype = SOCK_STREAM;
  PADDRINFOA found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    *why = "its address cannot be resolved";
    return -1;
  }
  const SOCKET s = socket(found->ai_family, SOCK_STREAM, 0);
  u_long nonBlocking = 1;
  if (s == INVALID_SOCKET || ioctlsocket(s, static_cast<long>(FIONBIO), &nonBlocking) != 0) {
    if (s != INVALID_SOCKET) closesocket(s);
    freeaddrinfo(found);
    *why = "no socket could be made";
    return -1;
  }
  const int rc = connect(s, found->ai_addr, static_cast<int>(found->ai_addrlen));
  const int error = WSAGetLastError();
  freeaddrinfo(found);
  *pending = rc != 0;
  if (rc != 0 && error != WSAEWOULDBLOCK) {
    closesocket(s);
    *why = "the connection was refused (" + ErrorName(error) + ")";
    return -1;
  }
  return static_cast<std::intptr_t>(s);
}

// select(), not WSAPoll: WSAPoll does not report a refused non-blocking connect before Windows
// 10 2004 (it waits out the timeout); select() reports it in exceptfds.
bool Wait(std::intptr_t handle, bool write, Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  fd_set ready;
  fd_set failed;
  FD_ZERO(&ready);
  FD_ZERO(&failed);
  FD_SET(Handle(handle), &ready);
  FD_SET(Handle(handle), &failed);
  timeval wait{static_cast<long>(left.count() / 1000), static_cast<long>((left.count() % 1000) * 1000)};
  // The first argument is ignored by Winsock.
  return select(0, write ? nullptr : &ready, write ? &ready : nullptr, &failed, &wait) > 0;
}

int ConnectError(std::intptr_t handle) {
  int error = 0;
  int size = sizeof(error);
  if (getsockopt(Handle(handle), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &size) != 0) {
    return WSAGetLastError();
  }
  return error;
}

std::string ErrorName(int error) { return "WSA error " + Decimal(static_cast<unsigned>(error)); }

long Send(std::intptr_t handle, const char* data, std::size_t size) {
  const int n = send(Handle(handle), data, Chunk(size), 0);
  if (n != SOCKET_ERROR) return n;
  return WSAGetLastError() == WSAEWOULDBLOCK ? kWouldBlock : kBroken;
}

long Receive(std::intptr_t handle, unsigned char* into, std::size_t size) {
  const int n = recv(Handle(handle), reinterpret_cast<char*>(into), Chunk(size), 0);
  if (n != SOCKET_ERROR) return n;
  return WSAGetLastError() == WSAEWOULDBLOCK ? kWouldBlock : kBroken;
}

void Close(std::intptr_t handle) { closesocket(Handle(handle)); }

}  // namespace socket_os
}  // namespace tls
}  // namespace eaphost
