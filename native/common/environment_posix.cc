// POSIX environment: getenv is standard here and no compiler deprecates it.
#include "environment.h"

#include <cstdlib>

namespace eaphost {

std::optional<std::string> EnvironmentValue(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace eaphost
