// Wiping secrets (passwords, CHAP values, user blobs) before their memory is released.
//
// A memset followed by free or end of scope is a dead store the optimiser may delete; writing
// through a volatile pointer is an observable side effect it must keep, on every compiler.
#pragma once

#include <cstddef>

namespace eaphost {

inline void SecureZero(void* data, std::size_t size) {
  if (data == nullptr) return;
  volatile unsigned char* bytes = static_cast<volatile unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = 0;
}

// A contiguous container's elements (std::vector<uint8_t>, std::u16string), in place.
template <typename Container>
inline void SecureZeroContents(Container& container) {
  if (!container.empty()) SecureZero(&container[0], container.size() * sizeof(container[0]));
}

}  // namespace eaphost
