#include "tls_refusal.h"

#include "../tls_alerts.h"
#include "../tls_config.h"

namespace eaphost {
namespace tls {

namespace {
// GnuTLS numbers its alert descriptions as the protocol does.
static_assert(static_cast<int>(TlsAlert::kBadCertificate) == GNUTLS_A_BAD_CERTIFICATE, "alert numbers");
static_assert(static_cast<int>(TlsAlert::kUnsupportedCertificate) == GNUTLS_A_UNSUPPORTED_CERTIFICATE,
              "alert numbers");
static_assert(static_cast<int>(TlsAlert::kCertificateRevoked) == GNUTLS_A_CERTIFICATE_REVOKED, "alert numbers");
static_assert(static_cast<int>(TlsAlert::kCertificateExpired) == GNUTLS_A_CERTIFICATE_EXPIRED, "alert numbers");
static_assert(static_cast<int>(TlsAlert::kUnknownCa) == GNUTLS_A_UNKNOWN_CA, "alert numbers");
static_assert(static_cast<int>(TlsAlert::kProtocolVersion) == GNUTLS_A_PROTOCOL_VERSION, "alert numbers");

gnutls_alert_description_t Description(TlsAlert alert) {
  return static_cast<gnutls_alert_description_t>(alert);
}
}  // namespace

void SendRefusal(gnutls_session_t session, int rc, const MethodFailure* refusal, std::uint16_t tlsMin,
                 std::uint16_t tlsMax) {
  const gnutls_protocol_t version = gnutls_protocol_get_version(session);
  const bool versionAllowed = (version == GNUTLS_TLS1_2 && tlsMin <= kTls12 && tlsMax >= kTls12) ||
                              (version == GNUTLS_TLS1_3 && tlsMax >= kTls13) ||
                              (version == GNUTLS_TLS1_1 && tlsMin <= kTls11 && tlsMax >= kTls11) ||
                              (version == GNUTLS_TLS1_0 && tlsMin <= kTls10);
  if (refusal != nullptr) {
    gnutls_alert_send(session, GNUTLS_AL_FATAL, Description(CertificateRefusalAlert(*refusal)));
  } else if (rc == GNUTLS_E_NO_CIPHER_SUITES && !versionAllowed) {
    // GnuTLS looks for a cipher suite of the peer's version before it finds the version is
    // not ours; the reason the peer must hear is the version (OpenSSL says so too).
    gnutls_alert_send(session, GNUTLS_AL_FATAL, Description(TlsAlert::kProtocolVersion));
  } else {
    gnutls_alert_send_appropriate(session, rc);
  }
}

}  // namespace tls
}  // namespace eaphost
