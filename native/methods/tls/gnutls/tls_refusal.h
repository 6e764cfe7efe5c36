// The fatal alert an authenticator sends when its TLS refuses a peer, so the peer's log says
// why before the EAP-Failure (as hostapd and FreeRADIUS do; GnuTLS sends none by itself).
#pragma once

#include "gnutls_headers.h"

#include <cstdint>

#include "../../support/method_error.h"

namespace eaphost {
namespace tls {

// Queues the alert on `session` for the handshake error `rc`: the one that names a refused
// certificate (`refusal`, when certificate verification failed: ../tls_alerts.h),
// protocol_version when the peer's version is outside [tlsMin, tlsMax], else GnuTLS's own
// choice for `rc`.
void SendRefusal(gnutls_session_t session, int rc, const MethodFailure* refusal, std::uint16_t tlsMin,
                 std::uint16_t tlsMax);

}  // namespace tls
}  // namespace eaphost
