#include "tls_gnutls_library.h"

#include "../../../abi/eap_platform.h"  // windows.h first
#include <delayimp.h>

#include <string>

#include "../../../common/code_integrity.h"
#include "../../../common/gnutls_beside.h"
#include "../../support/method_error.h"

// eap_methods.dll imports libgnutls-30.dll delay-loaded (scripts/cmake/gnutls_delay_load.cmake).
// Windows does not look in a DLL's own directory for that DLL's imports, and EAPHost, the stand-in
// and the addon all load eap_methods.dll by full path; so this module loads the four GnuTLS DLLs
// by full path from its own directory (native/common/gnutls_beside.h), and the delay-load hook
// hands the helper that libgnutls-30.dll.

namespace eaphost {
namespace tls {

namespace {
constexpr char kGnutlsImport[] = "libgnutls-30.dll";
// winnt.h's ERROR_SEVERITY_ERROR, which mingw-w64's headers lack: the delay-load helper's
// exception codes are VcppException(it, error).
constexpr DWORD kSeverityError = 0xC0000000;

// Loaded once, on first need; kept until the process ends (the module may still hold GnuTLS
// objects at unload, and GnuTLS's own DllMain tears down its globals).
const GnutlsBeside& Gnutls() {
  static const GnutlsBeside loaded = LoadGnutlsBeside(&kGnutlsImport);
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

}  // namespace

void RequireTlsLibrary(const char* methodName) {
  const GnutlsBeside& loaded = Gnutls();
  if (loaded.module != nullptr) return;
  throw MethodFailure{ERROR_MOD_NOT_FOUND, 0,
                      std::string("The ") + methodName + " method cannot run: GnuTLS could not be loaded from beside "
                          "eap_methods.dll: " + loaded.failure + CodeIntegrityNote(loaded.error),
                      "Keep libgnutls-30.dll, libnettle-8.dll, libhogweed-6.dll and libgmp-10.dll in the "
                      "directory of eap_methods.dll, as the package ships them"};
}

void* TlsLibraryAllocate(std::size_t size) { return GnutlsMallocIn(Gnutls().module, size); }

void TlsLibraryFree(void* data) { GnutlsFreeIn(Gnutls().module, data); }

}  // namespace tls
}  // namespace eaphost

// The delay-load helper calls this before it loads a DLL itself. delayimp.h declares it; this
// definition replaces the runtime's null default (MSVC's delayimp.lib declares it const).
#if defined(_MSC_VER)
extern "C" const PfnDliHook __pfnDliNotifyHook2 = eaphost::tls::HandOverGnutls;
#else
PfnDliHook __pfnDliNotifyHook2 = eaphost::tls::HandOverGnutls;
#endif
