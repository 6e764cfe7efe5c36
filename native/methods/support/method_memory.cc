#include "method_memory.h"

#include <cstdlib>

#include "../../common/secure_zero.h"

namespace eaphost {

namespace {
// The header is a full max_align_t so the caller's bytes keep malloc's alignment.
union AllocationHeader {
  std::size_t size;
  std::max_align_t alignment;
};
}  // namespace

void* AllocateMethodMemory(std::size_t size) {
  if (size == 0 || size > static_cast<std::size_t>(-1) - sizeof(AllocationHeader)) return nullptr;
  auto* header = static_cast<AllocationHeader*>(std::calloc(1, sizeof(AllocationHeader) + size));
  if (header == nullptr) return nullptr;
  header->size = size;
  return header + 1;
}

void FreeMethodMemory(void* memory) {
  if (memory == nullptr) return;
  AllocationHeader* header = static_cast<AllocationHeader*>(memory) - 1;
  SecureZero(header, sizeof(AllocationHeader) + header->size);
  std::free(header);
}

}  // namespace eaphost
