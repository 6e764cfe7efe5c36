#include "tls_alerts.h"

#include "tls_config.h"
#include "tls_errors.h"

namespace eaphost {
namespace tls {

namespace {
// The alert that tells a peer why its certificate was refused, as OpenSSL-based servers send
// them (RFC 8446 §6.2): the peer's log then names the reason.
gnutls_alert_description_t AlertFor(const MethodFailure& refusal) {
  switch (refusal.winError) {
    case kCertExpired: return GNUTLS_A_CERTIFICATE_EXPIRED;
    case kCertRevoked: return GNUTLS_A_CERTIFICATE_REVOKED;
    case kCertUntrustedRoot:
    case kCertUntrustedCa: return GNUTLS_A_UNKNOWN_CA;
    case kCertWrongUsage: return GNUTLS_A_UNSUPPORTED_CERTIFICATE;
    default: return GNUTLS_A_BAD_CERTIFICATE;
  }
}
}  // namespace

void SendRefusal(gnutls_session_t session, int rc, const MethodFailure* refusal, std::uint16_t tlsMin,
                 std::uint16_t tlsMax) {
  const gnutls_protocol_t version = gnutls_protocol_get_version(session);
  const bool versionAllowed = (version == GNUTLS_TLS1_2 && tlsMin <= kTls12 && tlsMax >= kTls12) ||
                              (version == GNUTLS_TLS1_3 && tlsMax >= kTls13);
  if (refusal != nullptr) {
    gnutls_alert_send(session, GNUTLS_AL_FATAL, AlertFor(*refusal));
  } else if (rc == GNUTLS_E_NO_CIPHER_SUITES && !versionAllowed) {
    // GnuTLS looks for a cipher suite of the peer's version before it finds the version is
    // not ours; the reason the peer must hear is the version (OpenSSL says so too).
    gnutls_alert_send(session, GNUTLS_AL_FATAL, GNUTLS_A_PROTOCOL_VERSION);
  } else {
    gnutls_alert_send_appropriate(session, rc);
  }
}

}  // namespace tls
}  // namespace eaphost
