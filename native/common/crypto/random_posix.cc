#include <cerrno>

#if defined(__linux__)
#include <sys/random.h>
#else
#include <unistd.h>  // getentropy (macOS, the BSDs)
#endif

#include "random.h"

namespace eaphost {

bool FillRandom(std::uint8_t* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
#if defined(__linux__)
    // Blocks only until the kernel pool is first seeded; short reads and signals are retried.
    ssize_t got = getrandom(out + done, size - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(got);
#else
    std::size_t chunk = size - done > 256 ? 256 : size - done;  // getentropy's limit
    if (getentropy(out + done, chunk) != 0) return false;
    done += chunk;
#endif
  }
  return true;
}

}  // namespace eaphost
