// Memory this library hands to its callers. Every buffer (runtime buffers, EAP_ERRORs,
// configuration-API memory) comes from one allocator so each EapHostPeerFree* export can
// release it; the size is kept in a hidden header so the buffer is zeroized before release,
// because results carry keys (MSK attributes) and user data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/secure_zero.h"

namespace eaphost {
namespace portable {

// Zero-filled; null when out of memory. Recorded in the ownership ledger with the ownership
// of the export that is running (ownership_ledger.h).
void* AllocateCallerMemory(std::size_t size);
// Zeroizes and releases; null is ignored. Only for pointers from AllocateCallerMemory, and
// only for the library's own releases: a caller's free goes through ReleaseByCaller first.
void FreeCallerMemory(void* memory);

// The exports wipe with the project's one helper (secure_zero.h).
using eaphost::SecureClear;

}  // namespace portable
}  // namespace eaphost
