// BSD sockets under OcspSocket (tls_ocsp_socket.h).
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "../../support/method_error.h"
#include "tls_ocsp_socket.h"

namespace eaphost {
namespace tls {
namespace socket_os {

bool Start() { return true; }
void Stop() {}

std::intptr_t StartConnect(const std::string& host, const std::string& port, bool* pending, std::string* why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &list) != 0 || list == nullptr) {
    *why = "its address cannot be resolved";
    return -1;
  }
  const int fd = socket(list->ai_family, SOCK_STREAM, 0);
  if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    if (fd >= 0) close(fd);
    freeaddrinfo(list);
    *why = "no socket could be made";
    return -1;
  }
  const int rc = connect(fd, list->ai_addr, list->ai_addrlen);
  const int error = errno;
  freeaddrinfo(list);
  *pending = rc != 0;
  if (rc != 0 && error != EINPROGRESS) {
    close(fd);
    *why = "the connection was refused (" + ErrorName(error) + ")";
    return -1;
  }
  return fd;
}

bool Wait(std::intptr_t handle, bool write, Deadline deadline) {
  const short events = write ? POLLOUT : POLLIN;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd one{static_cast<int>(handle), events, 0};
    const int rc = poll(&one, 1, static_cast<int>(left.count()));
    if (rc > 0) return (one.revents & (events | POLLHUP | POLLERR)) != 0;
    if (rc == 0 || errno != EINTR) return false;
  }
}

int ConnectError(std::intptr_t handle) {
  int error = 0;
  socklen_t size = sizeof(error);
  if (getsockopt(static_cast<int>(handle), SOL_SOCKET, SO_ERROR, &error, &size) != 0) return errno;
  return error;
}

std::string ErrorName(int error) { return "errno " + Decimal(static_cast<unsigned>(error)); }

long Send(std::intptr_t handle, const char* data, std::size_t size) {
  const ssize_t n = send(static_cast<int>(handle), data, size, MSG_NOSIGNAL);
  if (n >= 0) return static_cast<long>(n);
  return errno == EAGAIN || errno == EINTR ? kWouldBlock : kBroken;
}

long Receive(std::intptr_t handle, unsigned char* into, std::size_t size) {
  const ssize_t n = recv(static_cast<int>(handle), into, size, 0);
  if (n >= 0) return static_cast<long>(n);
  return errno == EAGAIN || errno == EINTR ? kWouldBlock : kBroken;
}

void Close(std::intptr_t handle) { close(static_cast<int>(handle)); }

}  // namespace socket_os
}  // namespace tls
}  // namespace eaphost
