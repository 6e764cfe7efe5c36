// The GnuTLS priority caches (TLS versions and algorithms) that sessions use, made once per
// priority string and shared by every session. gnutls_priority_set_direct would parse the string
// and build a private cache of about 8 KB for each session: under a flood of half-open
// handshakes that alone was a quarter of what each conversation held. GnuTLS counts the
// sessions that use a cache, so a shared one is safe to hand to any number of them.
#pragma once

#include "gnutls_headers.h"

#include <cstdint>

#include "../tls_config.h"

namespace eaphost {
namespace tls {

// The cache for the TLS versions tlsMin..tlsMax with GnuTLS's normal
// algorithms, made at its first use and kept until the module is unloaded (one per distinct
// range: a handful). On failure returns null and sets *rc to the GnuTLS error (no TLS version
// left in the range).
gnutls_priority_t SharedPriority(std::uint16_t tlsMin, std::uint16_t tlsMax, int* rc);

}  // namespace tls
}  // namespace eaphost
