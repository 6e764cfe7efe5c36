// The one TCP connection the authenticator's OCSP responder query needs (tls_ocsp_responder.cc):
// a stream with a deadline on every step, over BSD sockets (tls_ocsp_socket_posix.cc) or Winsock
// (tls_ocsp_socket_win32.cc). Only the transport differs per OS; the HTTP exchange and the OCSP
// logic above it are written once.
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
  std::intptr_t handle_ = -1;  // a file descriptor, or a SOCKET
  bool started_ = false;       // Winsock's WSAStartup, balanced in the destructor
};

}  // namespace tls
}  // namespace eaphost
