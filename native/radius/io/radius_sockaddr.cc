#include "radius_sockaddr.h"

namespace eaphost::radius {

bool ParseAddress(const std::string& text, Source* out) {
  sockaddr_storage address{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    address.ss_family = AF_INET;
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    address.ss_family = AF_INET6;
  } else {
    return false;
  }
  uint16_t port = out->port;
  ToSource(address, out);
  out->port = port;
  return true;
}

}  // namespace eaphost::radius
