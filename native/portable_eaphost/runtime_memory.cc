#include "runtime_memory.h"

#include <cstdlib>
#include <cstring>

#include "ownership_ledger.h"

namespace eaphost {
namespace portable {

namespace {
// The header keeps the caller's pointer aligned for any type (EAP_ATTRIBUTES, GUIDs, ...).
constexpr std::size_t kHeaderSize = alignof(std::max_align_t) > sizeof(std::size_t)
                                        ? alignof(std::max_align_t)
                                        : sizeof(std::size_t);
}  // namespace

void* AllocateCallerMemory(std::size_t size) {
  if (size > static_cast<std::size_t>(-1) - kHeaderSize) return nullptr;
  auto* base = static_cast<unsigned char*>(std::calloc(1, kHeaderSize + size));
  if (base == nullptr) return nullptr;
  std::memcpy(base, &size, sizeof(size));
  RecordAllocation(base + kHeaderSize, false);
  return base + kHeaderSize;
}

void FreeCallerMemory(void* memory) {
  if (memory == nullptr) return;
  ForgetAllocation(memory);
  unsigned char* base = static_cast<unsigned char*>(memory) - kHeaderSize;
  std::size_t size;
  std::memcpy(&size, base, sizeof(size));
  SecureZero(base, kHeaderSize + size);
  std::free(base);
}

}  // namespace portable
}  // namespace eaphost
