#include "tls_gnutls_library.h"

#include "gnutls_headers.h"

// Linked the usual way: loaded with the module, or the module would not have loaded.

namespace eaphost {
namespace tls {

void RequireTlsLibrary(const char*) {}

void* TlsLibraryAllocate(std::size_t size) { return gnutls_malloc(size); }

void TlsLibraryFree(void* data) { gnutls_free(data); }

}  // namespace tls
}  // namespace eaphost
