// Windows: serve keeps the JS lane (lib/radius/server.ts); the native lane's socket thread is
// POSIX code only, and nothing of EAPHost's contract depends on it.
#include "radius_socket.h"

namespace eaphost::radius {

std::unique_ptr<RadiusSocket> OpenRadiusSocket(const ListenAddress&, LaneSettings, std::function<void()>,
                                               LaneError* error) {
  *error = {"ERR_RADIUS_LANE_UNAVAILABLE", "the native RADIUS lane is not built on Windows", 0};
  return nullptr;
}

}  // namespace eaphost::radius
