#include "thread_cpu.h"

#include <windows.h>

namespace eaphost {

uint64_t ThisThreadCpuNs() {
  FILETIME created{};
  FILETIME exited{};
  FILETIME kernel{};
  FILETIME user{};
  if (!GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user)) return 0;
  const auto hundreds = [](const FILETIME& filetime) {
    return (static_cast<uint64_t>(filetime.dwHighDateTime) << 32) | filetime.dwLowDateTime;
  };
  return (hundreds(kernel) + hundreds(user)) * 100u;
}

}  // namespace eaphost
