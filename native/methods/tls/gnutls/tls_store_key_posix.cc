#include "tls_store_key.h"

#include "../../support/method_error.h"

// The Windows certificate store exists on Windows only: naming one elsewhere is refused, typed,
// never ignored (the peer would otherwise authenticate without the certificate it was given).

namespace eaphost {
namespace tls {

StoreKeyLimit SetStoreCertificate(gnutls_certificate_credentials_t, const StoreCertificate& ref, const char* methodName,
                                  eap::HANDLE) {
  throw MethodFailure{eap::kErrorNotSupported, 0,
                      std::string("The ") + methodName + " configuration's certStore (" + StoreCertificateName(ref) +
                          ") names the Windows certificate store, which exists on Windows only",
                      "Give the certificate and key as PEM (cert, key) or PKCS#12 (pkcs12) here"};
}

std::string StoreCertificateUser(const StoreCertificate&, eap::HANDLE) { return std::string(); }

}  // namespace tls
}  // namespace eaphost
