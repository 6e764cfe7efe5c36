// Socket addresses to and from the lane's Source, for both halves of radius_socket.h: sockaddr_in
// and sockaddr_in6 are the same under POSIX and Winsock; only the headers that declare them differ.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <cstring>

#include "radius_socket.h"

namespace eaphost::radius {

// The text is the address's alone: a Source that already holds this address (the engine reads
// every datagram into one) keeps its text, and only a new address is written out again.
inline bool ToSource(const sockaddr_storage& from, Source* source) {
  const void* bytes = nullptr;
  int family = 0;
  size_t size = 0;
  if (from.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&from);
    bytes = &v4->sin_addr;
    family = 4;
    size = 4;
    source->port = ntohs(v4->sin_port);
  } else if (from.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&from);
    bytes = &v6->sin6_addr;
    family = 6;
    size = 16;
    source->port = ntohs(v6->sin6_port);
  } else {
    return false;
  }
  if (source->family == family && !source->text.empty() && std::memcmp(source->address, bytes, size) == 0) return true;
  source->family = family;
  std::memcpy(source->address, bytes, size);
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes, text, sizeof(text));
  source->text = text;
  return true;
}

inline socklen_t ToAddress(const Source& to, sockaddr_storage* address) {
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

// The address to bind, or false (EINVAL) when `host` is not a literal address.
inline bool ListenSource(const ListenAddress& address, Source* local, LaneError* error) {
  local->port = address.port;
  if (ParseAddress(address.host, local)) return true;
  *error = {"EINVAL", "not an IP address: " + address.host, 22};
  return false;
}

}  // namespace eaphost::radius
