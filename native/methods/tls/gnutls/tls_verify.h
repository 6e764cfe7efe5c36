// Certificate policy: the peer trusts the server only when its chain verifies against the
// configured CAs and, when server names are configured, the leaf names one of them (SAN
// dNSName; the CN only when the certificate has no dNSName). The authenticator verifies an
// EAP-TLS client's chain against its CAs. Failures say why in words and carry EAPHost's reason.
#pragma once

#include "gnutls_headers.h"

#include <ctime>
#include <string>
#include <vector>

#include "../../../common/tls_chain_length.h"
#include "../../support/method_error.h"

namespace eaphost {
namespace tls {

// A chain longer than kMaxVerifiedChainLength (common/tls_chain_length.h) is read whole (the
// result names every certificate, up to kMaxTlsOutcomeCertificates) and refused as such.

// True when the certificate is acceptable; otherwise false with *failure set. An RSA key under
// 2048 bits in the leaf is refused unless `allowWeakRsa` (legacy servers and clients).
bool VerifyServerCertificate(gnutls_session_t session, const std::vector<std::string>& names,
                             bool allowWeakRsa, const char* methodName, MethodFailure* failure);
bool VerifyClientCertificate(gnutls_session_t session, bool allowWeakRsa, const char* methodName,
                             MethodFailure* failure);

// "2026-11-23 12:00:00 UTC", for the dates refusals name.
std::string UtcDate(time_t when);

}  // namespace tls
}  // namespace eaphost
