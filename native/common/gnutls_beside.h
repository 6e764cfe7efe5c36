// Windows only: GnuTLS (libgnutls-30.dll, with libnettle-8, libhogweed-6 and libgmp-10) from the
// directory of the package's module that uses it: eap_methods.dll (the TLS-based methods,
// native/methods/tls/gnutls/tls_gnutls_library_win32.cc) and the addon (RADIUS/DTLS,
// native/radius/dtls/radius_gnutls_win32.cc). Each imports libgnutls-30.dll delay-loaded; Windows does
// not look in a DLL's own directory for that DLL's imports, so the four are loaded here by full
// path from there, and the delay-load helper's later load by name binds to them (docs/WINDOWS-CONTRACT.md).
#pragma once

#include <windows.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace eaphost {

struct GnutlsBeside {
  HMODULE module = nullptr;  // libgnutls-30.dll; null when the four could not be loaded
  DWORD error = 0;
  std::string failure;  // which DLL, from where, and why: for the caller's typed error
};

// Loads the four, dependencies first, by full path from the directory of the module that holds
// `anchor` (any address in it), resolving their imports from that directory and System32 only
// (LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32), never the current directory
// or PATH. An import binds to an already loaded module of the same name wherever it came from, so
// afterwards each of the four must be the file in that directory, or the one beside another
// loaded copy of one of the package's modules (eap_methods.dll, eaphost.node or eaphost.napi.node): one process may
// hold the addon and two copies of eap_methods.dll (the package's and the registered one), and the
// first of them to load GnuTLS loaded it under these same rules. A DLL found by the standard
// search lies beside none of them.
GnutlsBeside LoadGnutlsBeside(const void* anchor);

// A variable GnuTLS exports (gnutls_malloc, gnutls_free hold function pointers), which a
// delay-load import cannot carry: its value, read through GetProcAddress; null when absent.
template <typename Function>
Function GnutlsVariable(HMODULE gnutls, const char* name) {
  FARPROC address = gnutls != nullptr ? GetProcAddress(gnutls, name) : nullptr;
  if (address == nullptr) return nullptr;
  Function function = nullptr;
  std::memcpy(&function, reinterpret_cast<const void*>(address), sizeof(function));
  return function;
}

// Allocates as GnuTLS does, through its gnutls_malloc (a variable: GnutlsVariable), looked up once
// in `gnutls`: for memory GnuTLS frees, such as the key a PSK server's callback hands it. Null when
// it is absent or out of memory.
void* GnutlsMallocIn(HMODULE gnutls, std::size_t size);

// Frees what GnuTLS allocated, through its gnutls_free (a variable: GnutlsVariable), looked up once
// in `gnutls` (the module LoadGnutlsBeside loaded); nothing when it is absent or `data` is null.
void GnutlsFreeIn(HMODULE gnutls, void* data);

}  // namespace eaphost
