#include "tls_gnutls_library.h"

#include "../../../abi/eap_platform.h"  // windows.h first
#include <delayimp.h>

#include <cstring>
#include <string>

#include "../../../common/code_integrity.h"
#include "../../support/method_error.h"

// eap_methods.dll imports libgnutls-30.dll delay-loaded (scripts/cmake/gnutls_delay_load.cmake).
// Windows does not look in a DLL's own directory for that DLL's imports (only the application's,
// System32 and PATH), and EAPHost, the stand-in and the addon all load eap_methods.dll by full
// path; so this module loads GnuTLS itself, by full path from its own directory, and the
// delay-load hook hands that module to the helper. LOAD_WITH_ALTERED_SEARCH_PATH with a full
// path makes Windows resolve GnuTLS's own imports (nettle, hogweed, gmp) from that same
// directory first (docs/WINDOWS-CONTRACT.md).

namespace eaphost {
namespace tls {

namespace {
constexpr wchar_t kGnutlsFile[] = L"libgnutls-30.dll";
constexpr char kGnutlsImport[] = "libgnutls-30.dll";

struct Loaded {
  HMODULE module = nullptr;
  DWORD error = 0;
  std::wstring path;
};

HMODULE ThisModule() {
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     reinterpret_cast<LPCWSTR>(&kGnutlsImport), &self);
  return self;
}

Loaded LoadBesideThisModule() {
  Loaded loaded;
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD length = GetModuleFileNameW(ThisModule(), &path[0], static_cast<DWORD>(path.size()));
    if (length == 0) {
      loaded.error = GetLastError();
      return loaded;
    }
    if (length < path.size()) {
      path.resize(length);
      break;
    }
    if (path.size() >= 32768) {
      loaded.error = ERROR_FILENAME_EXCED_RANGE;
      return loaded;
    }
    path.resize(path.size() * 2);
  }
  path.resize(path.find_last_of(L"\\/") + 1);
  path += kGnutlsFile;
  loaded.path = path;
  loaded.module = LoadLibraryExW(path.c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
  if (loaded.module == nullptr) loaded.error = GetLastError();
  return loaded;
}

// Loaded once, on first need; kept until the process ends (the module may still hold GnuTLS
// objects at unload, and GnuTLS's own DllMain tears down its globals).
const Loaded& Gnutls() {
  static const Loaded loaded = LoadBesideThisModule();
  return loaded;
}

FARPROC WINAPI HandOverGnutls(unsigned notification, PDelayLoadInfo info) {
  if (notification != dliNotePreLoadLibrary || info == nullptr || info->szDll == nullptr) return nullptr;
  if (_stricmp(info->szDll, kGnutlsImport) != 0) return nullptr;
  return reinterpret_cast<FARPROC>(Gnutls().module);
}

template <typename Function>
Function Exported(const char* variable) {
  // The variable's address; it holds the function pointer.
  FARPROC address = GetProcAddress(Gnutls().module, variable);
  if (address == nullptr) return nullptr;
  Function function = nullptr;
  std::memcpy(&function, reinterpret_cast<const void*>(address), sizeof(function));
  return function;
}
}  // namespace

void RequireTlsLibrary(const char* methodName) {
  const Loaded& loaded = Gnutls();
  if (loaded.module != nullptr) return;
  std::string path;
  for (wchar_t c : loaded.path) path.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  throw MethodFailure{ERROR_MOD_NOT_FOUND, 0,
                      std::string("The ") + methodName + " method cannot run: GnuTLS (" + path +
                          ") could not be loaded from beside eap_methods.dll (Windows error " +
                          Decimal(loaded.error) + ")" + CodeIntegrityNote(loaded.error),
                      "Keep libgnutls-30.dll, libnettle-8.dll, libhogweed-6.dll and libgmp-10.dll in the "
                      "directory of eap_methods.dll, as the package ships them"};
}

void* TlsLibraryAllocate(std::size_t size) {
  using Allocate = void* (*)(std::size_t);
  static const Allocate allocate = Exported<Allocate>("gnutls_malloc");
  return allocate != nullptr ? allocate(size) : nullptr;
}

void TlsLibraryFree(void* data) {
  using Free = void (*)(void*);
  static const Free release = Exported<Free>("gnutls_free");
  if (release != nullptr && data != nullptr) release(data);
}

}  // namespace tls
}  // namespace eaphost

// The delay-load helper calls this before it loads a DLL itself. delayimp.h declares it; this
// definition replaces the runtime's null default (MSVC's delayimp.lib declares it const).
#if defined(_MSC_VER)
extern "C" const PfnDliHook __pfnDliNotifyHook2 = eaphost::tls::HandOverGnutls;
#else
PfnDliHook __pfnDliNotifyHook2 = eaphost::tls::HandOverGnutls;
#endif
