// The stand-in wlanapi.dll's bookkeeping of what it gave its caller: client handles and the
// memory WlanFreeMemory takes back. Windows' Native Wifi keeps the same ledger inside the WLAN
// AutoConfig service; the stand-in stops the process (Violation) where a real one would corrupt
// memory or misbehave later, so a contract break shows at the call that made it.
#pragma once

#include <windows.h>

#include <cstddef>

namespace eaphost {
namespace wlan_standin {

// Prints what the caller did wrong and aborts: never returns.
[[noreturn]] void Violation(const char* call, const char* what);

// Client handles: Open gives one, Close takes it back; Check aborts on one that is unknown or
// closed.
HANDLE OpenClient();
void CloseClient(const char* call, HANDLE handle);
void CheckClient(const char* call, HANDLE handle);

// Memory for the caller (WlanAllocateMemory, and every buffer a call returns): zeroed; Free aborts
// on a pointer it did not give or gave back already.
void* Allocate(std::size_t size);
void Free(void* memory);

// Whether the calling thread is inside a notification callback (the stand-in's delivery thread
// sets it around each call), where WlanCloseHandle and WlanRegisterNotification would deadlock
// on Windows.
bool InCallback();
void SetInCallback(bool inside);

}  // namespace wlan_standin
}  // namespace eaphost
