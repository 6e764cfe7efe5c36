#include "radius_base.h"

#include <cstring>

namespace eaphost::radius {

bool InNetwork(const ClientNetwork& network, const Source& source) {
  if (network.family != source.family) return false;
  unsigned whole = network.prefix / 8, rest = network.prefix % 8;
  if (std::memcmp(network.address, source.address, whole) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (network.address[whole] & mask) == (source.address[whole] & mask);
}

}  // namespace eaphost::radius
