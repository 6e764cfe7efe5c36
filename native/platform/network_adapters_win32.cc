// Windows: the adapters from GetAdaptersAddresses (network_adapters.h).
#include "network_adapters.h"

#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>

#include <string>
#include <vector>

#include "../hosts/library_os.h"
#include "win32_text_errors.h"

namespace eaphost {

namespace {

using GetAdaptersAddressesFn = ULONG(WINAPI*)(ULONG, ULONG, PVOID, PIP_ADAPTER_ADDRESSES, PULONG);

// The adapters' list is a few kilobytes; one that keeps outgrowing its buffer this long is refused.
constexpr ULONG kMaxAdaptersBytes = 4u << 20;

class SystemLibrary {
 public:
  SystemLibrary() = default;
  SystemLibrary(const SystemLibrary&) = delete;
  SystemLibrary& operator=(const SystemLibrary&) = delete;
  ~SystemLibrary() {
    if (module_ != nullptr) library_os::CloseLibrary(module_);
  }
  void** out() { return &module_; }
  void* get() const { return module_; }

 private:
  void* module_ = nullptr;
};

}  // namespace

bool ReadNetworkAdapters(std::vector<NetworkAdapter>* adapters, EapErrorInfo* error) {
  SystemLibrary iphlpapi;
  DWORD code = 0;
  *iphlpapi.out() = library_os::OpenSystemLibrary(L"iphlpapi.dll", &code);
  if (iphlpapi.get() == nullptr) {
    *error = Win32Failure(code, "LoadLibraryExW", "iphlpapi.dll could not be loaded from System32");
    return false;
  }
  GetAdaptersAddressesFn getAdapters = nullptr;
  if (!library_os::FindTypedExport(iphlpapi.get(), "iphlpapi.dll", "GetAdaptersAddresses", &getAdapters, error)) {
    return false;
  }
  const ULONG flags =
      GAA_FLAG_SKIP_UNICAST | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
  // Microsoft's page suggests starting at 15 KB; the call says how much it needs when that is short.
  ULONG size = 15 * 1024;
  ULONG status = ERROR_BUFFER_OVERFLOW;
  while (status == ERROR_BUFFER_OVERFLOW && size <= kMaxAdaptersBytes) {
    // IP_ADAPTER_ADDRESSES holds pointers and 64-bit fields: the buffer is allocated as ULONGLONGs.
    std::vector<ULONGLONG> aligned((size + sizeof(ULONGLONG) - 1) / sizeof(ULONGLONG));
    size = static_cast<ULONG>(aligned.size() * sizeof(ULONGLONG));
    auto* first = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(aligned.data());
    status = getAdapters(AF_UNSPEC, flags, nullptr, first, &size);
    if (status == ERROR_NO_DATA) return true;
    if (status != ERROR_SUCCESS) continue;
    for (const IP_ADAPTER_ADDRESSES* adapter = first; adapter != nullptr; adapter = adapter->Next) {
      NetworkAdapter entry;
      const wchar_t* name = adapter->FriendlyName != nullptr ? adapter->FriendlyName : L"";
      for (; *name != L'\0'; ++name) entry.friendlyName.push_back(static_cast<char16_t>(*name));
      entry.guid = adapter->AdapterName != nullptr ? adapter->AdapterName : "";
      entry.ifType = adapter->IfType;
      adapters->push_back(std::move(entry));
    }
    return true;
  }
  *error = Win32Failure(status, "GetAdaptersAddresses", "the network adapters could not be listed");
  return false;
}

}  // namespace eaphost
