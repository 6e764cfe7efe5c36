#include "tls_ocsp_socket.h"

namespace eaphost {
namespace tls {

OcspSocket::OcspSocket() : started_(socket_os::Start()) {}

OcspSocket::~OcspSocket() {
  if (handle_ != -1) socket_os::Close(handle_);
  if (started_) socket_os::Stop();
}

bool OcspSocket::Connect(const std::string& host, const std::string& port, Deadline deadline, std::string* why) {
  if (!started_) {
    *why = "the socket layer could not be started";
    return false;
  }
  bool pending = false;
  handle_ = socket_os::StartConnect(host, port, &pending, why);
  if (handle_ == -1) return false;
  if (!pending) return true;
  if (!socket_os::Wait(handle_, true, deadline)) {
    *why = "it did not answer in time";
    return false;
  }
  const int error = socket_os::ConnectError(handle_);
  if (error != 0) {
    *why = "the connection was refused (" + socket_os::ErrorName(error) + ")";
    return false;
  }
  return true;
}

bool OcspSocket::SendAll(const char* data, std::size_t size, Deadline deadline, std::string* why) {
  for (std::size_t sent = 0; sent < size;) {
    if (!socket_os::Wait(handle_, true, deadline)) {
      *why = "it did not take the request in time";
      return false;
    }
    const long n = socket_os::Send(handle_, data + sent, size - sent);
    if (n == socket_os::kBroken) {
      *why = "the connection broke while sending";
      return false;
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  return true;
}

long OcspSocket::Receive(unsigned char* into, std::size_t size, Deadline deadline, std::string* why) {
  for (;;) {
    if (!socket_os::Wait(handle_, false, deadline)) {
      *why = "it did not answer in time";
      return -1;
    }
    const long n = socket_os::Receive(handle_, into, size);
    if (n >= 0) return n;
    if (n == socket_os::kBroken) {
      *why = "the connection broke while reading";
      return -1;
    }
  }
}

}  // namespace tls
}  // namespace eaphost
