// OCSP on both sides of the TLS methods (RFC 6960 responses, RFC 6066 / RFC 8446 stapling).
// The authenticator staples a DER response it is given (hostapd's ocsp_stapling_response); the
// peer asks for one and checks it as wpa_supplicant's ocsp=1|2 does: signed by the server
// certificate's CA or a responder that CA delegated to (id-kp-OCSPSigning), about this very
// certificate, current (thisUpdate not in the future, nextUpdate not past), and "good".
#pragma once

#include "gnutls_headers.h"

#include <cstdint>
#include <string>
#include <vector>

#include "../../support/method_error.h"
#include "../tls_config.h"
#include "tls_revocation.h"

namespace eaphost {
namespace tls {

// Staples the DER OCSP response in `file` to the credentials' (one) certificate, whatever it
// says: as hostapd does, a response that says revoked is stapled too (GnuTLS's own file loader
// would drop it, and the peer would be told nothing). The bytes are kept in `keep`, which must
// live as long as the credentials. Throws MethodFailure when the file cannot be read, is no
// OCSP response, is an unsuccessful one (tryLater, …), or is about another certificate.
void StapleOcspResponse(gnutls_certificate_credentials_t credentials, const std::string& file, const char* methodName,
                        std::vector<std::uint8_t>* keep);

// Asks the server for a stapled response (before the handshake).
void RequestOcspStaple(gnutls_session_t session);

// Checks the response the server stapled for its chain (already verified against the CAs of
// `credentials`): false, with the failure naming the certificate and why, when it must be
// refused (revoked, unknown, not signed by the CA, about another certificate, stale; or none
// stapled under kRequire).
bool CheckOcspStaple(gnutls_session_t session, gnutls_certificate_credentials_t credentials, OcspMode mode,
                     const char* methodName, MethodFailure* failure);

// Judges one DER OCSP response about `certificate` (issued by `issuer`): false, with the
// failure that names the certificate and why, unless it is a successful response about this
// certificate, signed by the issuer or its delegated responder, current, and "good". `source`
// names the response in the words ("its stapled OCSP response").
bool JudgeOcspResponse(const gnutls_datum_t& der, gnutls_x509_crt_t certificate, gnutls_x509_crt_t issuer,
                       bool server, const std::string& source, const char* methodName, MethodFailure* failure);

// The chain `session` received, parsed; false when there is none or one cannot be read.
bool ReceivedChain(gnutls_session_t session, std::vector<OwnedCrt>* parsed);

}  // namespace tls
}  // namespace eaphost
