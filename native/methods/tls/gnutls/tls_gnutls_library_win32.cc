#include "tls_gnutls_library.h"

#include "../../../abi/eap_platform.h"  // windows.h first
#include <delayimp.h>

#include <cstring>
#include <iterator>
#include <string>

#include "../../../common/code_integrity.h"
#include "../../support/method_error.h"

// eap_methods.dll imports libgnutls-30.dll delay-loaded (scripts/cmake/gnutls_delay_load.cmake).
// Windows does not look in a DLL's own directory for that DLL's imports, and EAPHost, the stand-in
// and the addon all load eap_methods.dll by full path; so this module loads the four GnuTLS DLLs
// itself, by full path from its own directory, and the delay-load hook hands the helper that
// libgnutls-30.dll. LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32 resolves each
// one's imports from that directory and System32 only, never the current directory or PATH
// (docs/WINDOWS-CONTRACT.md); an import binds to an already loaded module of the same name
// wherever it came from, so after loading each of the four must be the file in this directory, or
// the one beside another loaded copy of this module (BesideLoadedCopy).

namespace eaphost {
namespace tls {

namespace {
constexpr char kGnutlsImport[] = "libgnutls-30.dll";
// Dependencies first: each is loaded after the DLLs it imports (GnuTLS last).
constexpr const wchar_t* kGnutlsDlls[] = {L"libgmp-10.dll", L"libnettle-8.dll", L"libhogweed-6.dll", L"libgnutls-30.dll"};
constexpr DWORD kBesideThisModule = LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32;
// winnt.h's ERROR_SEVERITY_ERROR, which mingw-w64's headers lack: the delay-load helper's
// exception codes are VcppException(it, error).
constexpr DWORD kSeverityError = 0xC0000000;

struct Loaded {
  HMODULE module = nullptr;  // libgnutls-30.dll
  DWORD error = 0;
  std::string failure;  // which DLL, from where, and why: for the typed error
};

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

HMODULE ThisModule() {
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     reinterpret_cast<LPCWSTR>(&kGnutlsImport), &self);
  return self;
}

bool SamePath(const std::wstring& a, const std::wstring& b) {
  return CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(), static_cast<int>(b.size()), TRUE) == CSTR_EQUAL;
}

// Whether `used` (a GnuTLS DLL this process already holds) lies beside a loaded copy of this
// module (`self`, its full path): one process may hold two copies of eap_methods.dll (the addon's
// authenticator loads the package's, and an in-process EAPHost the registered copy), and an
// import binds to the module of that name loaded first. That one was loaded by the other copy
// under these same rules, from that copy's own directory; a DLL found by the standard search (the
// current directory, PATH) lies beside no loaded copy.
bool BesideLoadedCopy(const std::wstring& used, const std::wstring& self) {
  const std::size_t usedSlash = used.find_last_of(L"\\/");
  const std::size_t selfSlash = self.find_last_of(L"\\/");
  if (usedSlash == std::wstring::npos || selfSlash == std::wstring::npos) return false;
  const std::wstring copy = used.substr(0, usedSlash + 1) + self.substr(selfSlash + 1);
  HMODULE module = nullptr;
  return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, copy.c_str(), &module) && module != nullptr &&
         SamePath(ModulePath(module), copy);
}

Loaded LoadBesideThisModule() {
  Loaded loaded;
  const std::wstring self = ModulePath(ThisModule());
  std::wstring dir = self;
  if (dir.empty()) {
    loaded.error = GetLastError() != 0 ? GetLastError() : ERROR_FILENAME_EXCED_RANGE;
    loaded.failure = "the directory of eap_methods.dll is unknown";
    return loaded;
  }
  dir.resize(dir.find_last_of(L"\\/") + 1);
  HMODULE handles[std::size(kGnutlsDlls)] = {};
  for (std::size_t i = 0; i < std::size(kGnutlsDlls) && loaded.failure.empty(); ++i) {
    const std::wstring path = dir + kGnutlsDlls[i];
    handles[i] = LoadLibraryExW(path.c_str(), nullptr, kBesideThisModule);
    if (handles[i] == nullptr) {
      loaded.error = GetLastError();
      loaded.failure = Narrow(kGnutlsDlls[i]) + " could not be loaded from " + Narrow(path) + " (Windows error " +
                       Decimal(loaded.error) + ")";
    }
  }
  for (std::size_t i = 0; i < std::size(kGnutlsDlls) && loaded.failure.empty(); ++i) {
    const std::wstring used = ModulePath(GetModuleHandleW(kGnutlsDlls[i]));
    if (!SamePath(used, dir + kGnutlsDlls[i]) && !BesideLoadedCopy(used, self)) {
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

// Loaded once, on first need; kept until the process ends (the module may still hold GnuTLS
// objects at unload, and GnuTLS's own DllMain tears down its globals).
const Loaded& Gnutls() {
  static const Loaded loaded = LoadBesideThisModule();
  return loaded;
}

// Before the helper loads libgnutls-30.dll it asks here: the answer is the module loaded above,
// never null, because null makes the helper load the name itself with the standard search
// (application directory, current directory, PATH). When the four could not be loaded it raises
// the exception the helper raises for a DLL it cannot load. RequireTlsLibrary runs before the
// first GnuTLS call and reports that case typed, so this is the last line only. Nothing answers
// dliFailLoadLib, so no failure is retried either.
FARPROC WINAPI HandOverGnutls(unsigned notification, PDelayLoadInfo info) {
  if (notification != dliNotePreLoadLibrary || info == nullptr || info->szDll == nullptr) return nullptr;
  if (_stricmp(info->szDll, kGnutlsImport) != 0) return nullptr;
  if (Gnutls().module == nullptr) {
    info->dwLastError = Gnutls().error;
    const ULONG_PTR argument = reinterpret_cast<ULONG_PTR>(info);
    RaiseException(VcppException(kSeverityError, ERROR_MOD_NOT_FOUND), 0, 1, &argument);
  }
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
  throw MethodFailure{ERROR_MOD_NOT_FOUND, 0,
                      std::string("The ") + methodName + " method cannot run: GnuTLS could not be loaded from beside "
                          "eap_methods.dll: " + loaded.failure + CodeIntegrityNote(loaded.error),
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
