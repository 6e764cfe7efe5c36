// The TLS alerts an EAP authenticator sends when it refuses a peer, as EAP facts: which alert
// names which refusal. The values are the protocol's (RFC 8446 §6), so every TLS backend sends
// the same alert for the same refusal; how it is sent is the backend's (gnutls/tls_refusal.h).
#pragma once

#include <cstdint>

#include "../support/method_error.h"

namespace eaphost {
namespace tls {

enum class TlsAlert : std::uint8_t {
  kBadCertificate = 42,
  kUnsupportedCertificate = 43,
  kCertificateRevoked = 44,
  kCertificateExpired = 45,
  kUnknownCa = 48,
  kProtocolVersion = 70,
};

// The alert that tells a peer why its certificate was refused, as OpenSSL-based servers send
// them: the peer's log then names the reason (expired, revoked, unknown CA, wrong usage).
TlsAlert CertificateRefusalAlert(const MethodFailure& refusal);

}  // namespace tls
}  // namespace eaphost
