#include "random.h"

#include "../../abi/eap_platform.h"  // windows.h first, then bcrypt.h
#include <bcrypt.h>

#include <climits>

namespace eaphost {

bool FillRandom(std::uint8_t* out, std::size_t size) {
  while (size != 0) {
    ULONG chunk = size > ULONG_MAX ? ULONG_MAX : static_cast<ULONG>(size);
    // The system-preferred RNG needs no algorithm handle to open, close or leak.
    if (BCryptGenRandom(nullptr, out, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0) return false;
    out += chunk;
    size -= chunk;
  }
  return true;
}

}  // namespace eaphost
