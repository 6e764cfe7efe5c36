// Memory a method module hands across the ABI (identities, user blobs, attribute arrays,
// credential field arrays, EAP_ERRORs). The host gives each back to the module's own
// Free*Memory export, which calls FreeMethodMemory.
//
// Every allocation records its size in a hidden header so the free can wipe it: user blobs
// and attribute values carry passwords, and the ABI's free functions are not told a size.
#pragma once

#include <cstddef>

namespace eaphost {

// Zero-filled; nullptr when size is 0 or memory is exhausted.
void* AllocateMethodMemory(std::size_t size);
// Wipes and releases; null is ignored.
void FreeMethodMemory(void* memory);

}  // namespace eaphost
