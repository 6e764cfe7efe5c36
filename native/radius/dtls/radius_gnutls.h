// GnuTLS for RADIUS/DTLS's record layer (radius_dtls_session.h). Elsewhere it is linked the usual
// way and always there. On Windows libgnutls-30.dll is delay-loaded, and loaded by full path from
// beside the addon (the four DLLs ship there, as beside eap_methods.dll) by RequireGnutls, which
// every RADIUS/DTLS end calls before its first GnuTLS call (native/common/gnutls_beside.h).
#pragma once

#include <cstddef>

#include "../wire/radius_base.h"

namespace eaphost::radius {

// False, with *error (ENOENT, naming the DLL and where it was looked for), when GnuTLS cannot be loaded.
bool RequireGnutls(LaneError* error);

// Allocates memory GnuTLS will free (gnutls_malloc, a variable GnuTLS exports like gnutls_free:
// called through the delay-load import, it would run the variable's bytes as code).
void* GnutlsMalloc(std::size_t size);

// Frees what GnuTLS allocated (gnutls_free is a variable GnuTLS exports, which a delay-load
// import cannot carry).
void GnutlsFree(void* data);

}  // namespace eaphost::radius
