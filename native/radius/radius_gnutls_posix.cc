#include "radius_gnutls.h"

#include <gnutls/gnutls.h>

namespace eaphost::radius {

bool RequireGnutls(LaneError* /*error*/) { return true; }

void GnutlsFree(void* data) { gnutls_free(data); }

}  // namespace eaphost::radius
