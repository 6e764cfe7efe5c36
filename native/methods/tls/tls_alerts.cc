#include "tls_alerts.h"

#include "tls_errors.h"

namespace eaphost {
namespace tls {

TlsAlert CertificateRefusalAlert(const MethodFailure& refusal) {
  switch (refusal.winError) {
    case kCertExpired: return TlsAlert::kCertificateExpired;
    case kCertRevoked: return TlsAlert::kCertificateRevoked;
    case kCertUntrustedRoot:
    case kCertUntrustedCa: return TlsAlert::kUnknownCa;
    case kCertWrongUsage: return TlsAlert::kUnsupportedCertificate;
    default: return TlsAlert::kBadCertificate;
  }
}

}  // namespace tls
}  // namespace eaphost
