#include "tls_ocsp_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

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

// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool Wait(int fd, short events, Deadline deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd one{fd, events, 0};
    const int rc = poll(&one, 1, static_cast<int>(left.count()));
    if (rc > 0) return (one.revents & (events | POLLHUP)) != 0;
    if (rc == 0 || errno != EINTR) return false;
  }
}
}  // namespace

OcspSocket::OcspSocket() = default;

OcspSocket::~OcspSocket() {
  if (handle_ >= 0) close(static_cast<int>(handle_));
}

bool OcspSocket::Connect(const std::string& host, const std::string& port, Deadline deadline, std::string* why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  Addresses addresses;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &addresses.list) != 0 || addresses.list == nullptr) {
    *why = "its address cannot be resolved";
    return false;
  }
  const int fd = socket(addresses.list->ai_family, SOCK_STREAM, 0);
  handle_ = fd;
  if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    *why = "no socket could be made";
    return false;
  }
  if (connect(fd, addresses.list->ai_addr, addresses.list->ai_addrlen) != 0 && errno != EINPROGRESS) {
    *why = "the connection was refused (errno " + Decimal(static_cast<unsigned>(errno)) + ")";
    return false;
  }
  int error = 0;
  socklen_t size = sizeof(error);
  if (!Wait(fd, POLLOUT, deadline) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
    *why = error != 0 ? "the connection was refused (errno " + Decimal(static_cast<unsigned>(error)) + ")" : "it did not answer in time";
    return false;
  }
  return true;
}

bool OcspSocket::SendAll(const char* data, std::size_t size, Deadline deadline, std::string* why) {
  const int fd = static_cast<int>(handle_);
  for (std::size_t sent = 0; sent < size;) {
    if (!Wait(fd, POLLOUT, deadline)) {
      *why = "it did not take the request in time";
      return false;
    }
    const ssize_t n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      *why = "the connection broke while sending";
      return false;
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  return true;
}

long OcspSocket::Receive(unsigned char* into, std::size_t size, Deadline deadline, std::string* why) {
  const int fd = static_cast<int>(handle_);
  for (;;) {
    if (!Wait(fd, POLLIN, deadline)) {
      *why = "it did not answer in time";
      return -1;
    }
    const ssize_t n = recv(fd, into, size, 0);
    if (n >= 0) return static_cast<long>(n);
    if (errno != EAGAIN && errno != EINTR) {
      *why = "the connection broke while reading";
      return -1;
    }
  }
}

}  // namespace tls
}  // namespace eaphost
