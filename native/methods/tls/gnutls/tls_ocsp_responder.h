// The authenticator asks an OCSP responder about each client certificate (FreeRADIUS's ocsp
// section with override_cert_url): an HTTP POST of the DER request (RFC 6960 Appendix A.1) to
// the configured http:// URL, the answer judged as a staple is (tls_ocsp.h) and cached until its
// nextUpdate. A responder that cannot be reached, or answers nothing usable, refuses the client
// (fail closed) unless failing open was asked for explicitly.
#pragma once

#include "gnutls_headers.h"

#include <string>

#include "../../support/method_error.h"

namespace eaphost {
namespace tls {

constexpr int kOcspResponderTimeoutMs = 3000;

// False, with the failure that says why, when the client's certificate must be refused.
bool AskOcspResponder(gnutls_session_t session, gnutls_certificate_credentials_t credentials, const std::string& url,
                      bool failOpen, const char* methodName, MethodFailure* failure);

}  // namespace tls
}  // namespace eaphost
