#include "standin_ledger.h"

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <set>

namespace eaphost {
namespace wlan_standin {

namespace {

std::mutex ledgerMutex;
std::set<HANDLE> openClients;
std::set<void*> givenMemory;
// Handle values count up from here and are never reused, so a closed handle stays recognisable.
std::uintptr_t nextClient = 0x5700;
thread_local bool insideCallback = false;

}  // namespace

void Violation(const char* call, const char* what) {
  std::fprintf(stderr, "wlanapi stand-in: contract violation in %s: %s\n", call, what);
  std::fflush(stderr);
  std::abort();
}

HANDLE OpenClient() {
  std::lock_guard<std::mutex> lock(ledgerMutex);
  nextClient += 4;
  HANDLE handle = reinterpret_cast<HANDLE>(nextClient);
  openClients.insert(handle);
  return handle;
}

void CloseClient(const char* call, HANDLE handle) {
  if (insideCallback) Violation(call, "called from inside a notification callback");
  std::lock_guard<std::mutex> lock(ledgerMutex);
  if (openClients.erase(handle) == 0) Violation(call, "a handle that is not open (closed already, or never given)");
}

void CheckClient(const char* call, HANDLE handle) {
  std::lock_guard<std::mutex> lock(ledgerMutex);
  if (openClients.count(handle) == 0) Violation(call, "a handle that is not open (used after WlanCloseHandle?)");
}

void* Allocate(std::size_t size) {
  void* memory = std::calloc(1, size == 0 ? 1 : size);
  if (memory == nullptr) return nullptr;
  std::lock_guard<std::mutex> lock(ledgerMutex);
  givenMemory.insert(memory);
  return memory;
}

void Free(void* memory) {
  if (memory == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(ledgerMutex);
    if (givenMemory.erase(memory) == 0) Violation("WlanFreeMemory", "memory this wlanapi.dll did not give (or freed twice)");
  }
  std::free(memory);
}

bool InCallback() { return insideCallback; }
void SetInCallback(bool inside) { insideCallback = inside; }

}  // namespace wlan_standin
}  // namespace eaphost
