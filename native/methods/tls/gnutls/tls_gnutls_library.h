// Reaching the GnuTLS library itself. On POSIX it is linked the usual way and always there. On
// Windows libgnutls-30.dll (with libnettle-8, libhogweed-6 and libgmp-10) ships beside
// eap_methods.dll and is delay-loaded from that directory, whoever loads the module and however
// (tls_gnutls_library_win32.cc; docs/WINDOWS-CONTRACT.md): RequireTlsLibrary loads it before the
// first GnuTLS call and turns a missing DLL into a typed failure instead of the delay-load
// helper's exception.
//
// gnutls_malloc and gnutls_free are variables GnuTLS exports (function pointers), which a
// delay-load import cannot carry: the TLS backend allocates and frees GnuTLS-owned memory
// through TlsLibraryAllocate / TlsLibraryFree instead.
#pragma once

#include <cstddef>

namespace eaphost {
namespace tls {

// Throws MethodFailure, naming `methodName`, when GnuTLS cannot be loaded.
void RequireTlsLibrary(const char* methodName);

// GnuTLS's own allocator: for memory GnuTLS will free, and to free what GnuTLS allocated.
void* TlsLibraryAllocate(std::size_t size);
void TlsLibraryFree(void* data);

}  // namespace tls
}  // namespace eaphost
