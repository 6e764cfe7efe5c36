#include "gnutls_beside.h"

#include <iterator>

namespace eaphost {

namespace {
// Dependencies first: each is loaded after the DLLs it imports (GnuTLS last).
constexpr const wchar_t* kGnutlsDlls[] = {L"libgmp-10.dll", L"libnettle-8.dll", L"libhogweed-6.dll",
                                          L"libgnutls-30.dll"};
// The package's modules that load GnuTLS from their own directory (the addon is eaphost.napi.node in a prebuild).
constexpr const wchar_t* kPackageModules[] = {L"eap_methods.dll", L"eaphost.node", L"eaphost.napi.node"};
constexpr DWORD kBesideTheModule = LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32;

std::string Narrow(const std::wstring& text) {
  std::string out;
  for (wchar_t c : text) out.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  return out;
}

// A module's full path; empty when Windows cannot say.
std::wstring ModulePath(HMODULE module) {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD length = GetModuleFileNameW(module, &path[0], static_cast<DWORD>(path.size()));
    if (length == 0) return std::wstring();
    if (length < path.size()) {
      path.resize(length);
      return path;
    }
    if (path.size() >= 32768) return std::wstring();
    path.resize(path.size() * 2);
  }
}

bool SamePath(const std::wstring& a, const std::wstring& b) {
  return CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(), static_cast<int>(b.size()), TRUE) ==
         CSTR_EQUAL;
}

// Whether `used` (a GnuTLS DLL this process already holds) lies beside a loaded copy of one of the
// package's modules, which loaded it from there under the same rules.
bool BesidePackageModule(const std::wstring& used) {
  const std::size_t slash = used.find_last_of(L"\\/");
  if (slash == std::wstring::npos) return false;
  for (const wchar_t* name : kPackageModules) {
    const std::wstring copy = used.substr(0, slash + 1) + name;
    HMODULE module = nullptr;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, copy.c_str(), &module) && module != nullptr &&
        SamePath(ModulePath(module), copy)) {
      return true;
    }
  }
  return false;
}
}  // namespace

GnutlsBeside LoadGnutlsBeside(const void* anchor) {
  GnutlsBeside loaded;
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     reinterpret_cast<LPCWSTR>(anchor), &self);
  std::wstring dir = self != nullptr ? ModulePath(self) : std::wstring();
  if (dir.empty()) {
    loaded.error = GetLastError() != 0 ? GetLastError() : ERROR_FILENAME_EXCED_RANGE;
    loaded.failure = "the directory of the module that loads GnuTLS is unknown";
    return loaded;
  }
  dir.resize(dir.find_last_of(L"\\/") + 1);
  HMODULE handles[std::size(kGnutlsDlls)] = {};
  for (std::size_t i = 0; i < std::size(kGnutlsDlls) && loaded.failure.empty(); ++i) {
    const std::wstring path = dir + kGnutlsDlls[i];
    handles[i] = LoadLibraryExW(path.c_str(), nullptr, kBesideTheModule);
    if (handles[i] == nullptr) {
      loaded.error = GetLastError();
      loaded.failure = Narrow(kGnutlsDlls[i]) + " could not be loaded from " + Narrow(path) + " (Windows error " +
                       std::to_string(loaded.error) + ")";
    }
  }
  for (std::size_t i = 0; i < std::size(kGnutlsDlls) && loaded.failure.empty(); ++i) {
    const std::wstring used = ModulePath(GetModuleHandleW(kGnutlsDlls[i]));
    if (!SamePath(used, dir + kGnutlsDlls[i]) && !BesidePackageModule(used)) {
      loaded.error = ERROR_MOD_NOT_FOUND;
      loaded.failure = Narrow(kGnutlsDlls[i]) + " in this process is " + (used.empty() ? "unknown" : Narrow(used)) +
                       ", not the one in " + Narrow(dir);
    }
  }
  if (!loaded.failure.empty()) {
    for (HMODULE handle : handles) {
      if (handle != nullptr) FreeLibrary(handle);
    }
    return loaded;
  }
  loaded.module = handles[std::size(kGnutlsDlls) - 1];
  return loaded;
}

void* GnutlsMallocIn(HMODULE gnutls, std::size_t size) {
  using Allocate = void* (*)(std::size_t);
  static const Allocate allocate = GnutlsVariable<Allocate>(gnutls, "gnutls_malloc");
  return allocate != nullptr ? allocate(size) : nullptr;
}

void GnutlsFreeIn(HMODULE gnutls, void* data) {
  using Free = void (*)(void*);
  static const Free release = GnutlsVariable<Free>(gnutls, "gnutls_free");
  if (release != nullptr && data != nullptr) release(data);
}

}  // namespace eaphost
