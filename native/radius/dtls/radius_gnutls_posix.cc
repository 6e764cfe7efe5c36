#include "radius_gnutls.h"

#include <gnutls/gnutls.h>

namespace eaphost::radius {

bool RequireGnutls(LaneError* /*error*/) { return true; }

void* GnutlsMalloc(std::size_t size) { return gnutls_malloc(size); }

void GnutlsFree(void* data) { gnutls_free(data); }

}  // namespace eaphost::radius
