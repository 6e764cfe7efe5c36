// The one TCP connection the authenticator's OCSP responder query needs (tls_ocsp_responder.cc):
// a stream with a deadline on every step. The steps and their errors are written once
// (tls_ocsp_socket.cc); only the socket calls differ per OS, behind `socket_os` below: BSD sockets
// (tls_ocsp_socket_posix.cc) or Winsock (tls_ocsp_socket_win32.cc). The HTTP exchange and the
// OCSP logic above it are written once too.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace eaphost {
namespace tls {

using Deadline = std::chrono::steady_clock::time_point;

class OcspSocket {
 public:
  OcspSocket();
  ~OcspSocket();
  OcspSocket(const OcspSocket&) = delete;
  OcspSocket& operator=(const OcspSocket&) = delete;

  // Connects to host:port (the first address it resolves to); false with `why` set.
  bool Connect(const std::string& host, const std::string& port, Deadline deadline, std::string* why);
  // Sends all of `data`; false with `why` set.
  bool SendAll(const char* data, std::size_t size, Deadline deadline, std::string* why);
  // The bytes read into `into` (at most `size`), 0 at the end of the stream, -1 with `why` set.
  long Receive(unsigned char* into, std::size_t size, Deadline deadline, std::string* why);

 private:
  std::intptr_t handle_ = -1;  // a file descriptor, or a SOCKET; -1 for none
  bool started_ = false;       // the OS's socket layer (Winsock's WSAStartup), balanced in the destructor
};

// The socket calls, per OS. A handle is -1 for none.
namespace socket_os {
// What a send or receive did: bytes moved (>= 0), or one of these.
constexpr long kWouldBlock = -2;
constexpr long kBroken = -1;

bool Start();
void Stop();
// Resolves host:port and starts a non-blocking connect to the first address: the handle (which
// the caller closes), or -1 with `why` set. `*pending` says the connect goes on in the background.
std::intptr_t StartConnect(const std::string& host, const std::string& port, bool* pending, std::string* why);
// Waits until the handle is writable (`write`) or readable, until `deadline`; false on timeout.
bool Wait(std::intptr_t handle, bool write, Deadline deadline);
// The error a background connect ended with, 0 for none.
int ConnectError(std::intptr_t handle);
// The OS's name for an error number: "errno 111", "WSA error 10061".
std::string ErrorName(int error);
long Send(std::intptr_t handle, const char* data, std::size_t size);
long Receive(std::intptr_t handle, unsigned char* into, std::size_t size);
void Close(std::intptr_t handle);
}  // namespace socket_os

}  // namespace tls
}  // namespace eaphost
