// Wiping secrets (passwords, CHAP values, user blobs, keys) before their memory is released.
//
// The project's one way to wipe memory: every secret copy goes through SecureZero, directly or
// by SecureZeroContents, SecureClear, SecureShrink or WipeOnExit. A memset or std::fill followed
// by free or end of scope is a dead store the optimiser may delete; writing through a volatile
// pointer is an observable side effect it must keep, on every compiler.
// test/secret-wiping.test.ts holds the tree to this.
#pragma once

#include <cstddef>

namespace eaphost {

inline void SecureZero(void* data, std::size_t size) {
  if (data == nullptr) return;
  volatile unsigned char* bytes = static_cast<volatile unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = 0;
}

// A contiguous container's elements (std::vector<uint8_t>, std::u16string, std::string), in place.
template <typename Container>
inline void SecureZeroContents(Container& container) {
  if (!container.empty()) SecureZero(&container[0], container.size() * sizeof(container[0]));
}

// Wipes a container's elements and empties it: for buffers that live on (a conversation's last
// packet, a result's user data) once their secret is spent.
template <typename Container>
inline void SecureClear(Container* container) {
  SecureZeroContents(*container);
  container->clear();
}

// Shortens a container to `size` elements, wiping the ones it drops first: resize alone leaves
// them in the capacity the buffer keeps (a method's packet cut to its EAP Length, its padding
// then kept with the buffer by the method's PacketBuffers, or freed unwiped).
template <typename Container>
inline void SecureShrink(Container* container, std::size_t size) {
  if (size >= container->size()) return;
  SecureZero(&(*container)[size], (container->size() - size) * sizeof((*container)[0]));
  container->resize(size);
}

// Wipes a container when the scope ends, whichever way it ends (early return, exception).
template <typename Container>
class WipeOnExit {
 public:
  explicit WipeOnExit(Container& container) : container_(container) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { SecureZeroContents(container_); }

 private:
  Container& container_;
};

}  // namespace eaphost
