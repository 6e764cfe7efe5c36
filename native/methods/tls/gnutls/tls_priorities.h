// The GnuTLS priority caches (TLS versions and algorithms) that sessions use, made once per
// priority string and shared by every session. gnutls_priority_set_direct would parse the string
// and build a private cache of about 8 KB for each session: under a flood of half-open
// handshakes that alone was a quarter of what each conversation held. GnuTLS counts the
// sessions that use a cache, so a shared one is safe to hand to any number of them.
#pragma once

#include "gnutls_headers.h"

#include <cstddef>
#include <cstdint>

#include "../tls_config.h"

namespace eaphost {
namespace tls {

// Who picks the cipher suite and the group among those both sides offer: the peer's order, as
// GnuTLS does by default, or the authenticator's own (AES-128-GCM's SHA-256 suites first, then
// X25519), where ServerMayChoose allows it.
enum class SuiteChoice { kPeer, kServer };

// The cache for the TLS versions tlsMin..tlsMax with GnuTLS's normal algorithms (the ciphers in
// the authenticator's order for kServer), made at its first use and kept until the module is
// unloaded (one per distinct range and choice: a handful). On failure returns null and sets *rc
// to the GnuTLS error (no TLS version left in the range).
gnutls_priority_t SharedPriority(std::uint16_t tlsMin, std::uint16_t tlsMax, SuiteChoice choice, int* rc);

// Whether the authenticator may choose the suite and group itself for this ClientHello (the
// handshake message's body), at no cost to the peer: always over TLS 1.2, where the choice costs
// nothing; over TLS 1.3 (the peer offers it, tls13Allowed says we do) only when the peer already
// sent an X25519 key share. Choosing X25519 for a peer that lists it but sent its share for
// another group would cost it a HelloRetryRequest and a round trip (GnuTLS picks the group in the
// same order as the suite). A ClientHello this cannot read leaves the choice to the peer.
bool ServerMayChoose(const unsigned char* clientHello, std::size_t size, bool tls13Allowed);

}  // namespace tls
}  // namespace eaphost
