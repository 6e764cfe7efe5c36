// No Windows certificate stores here: the portable EAPHost's EAP-TLS takes the PKCS#12 as given.
#include "user_certificate_store.h"

#include "../common/secure_zero.h"

namespace eaphost {

bool ImportUserPkcs12(const Bytes&, std::string* password, std::vector<std::string>*, EapErrorInfo* error) {
  SecureZeroContents(*password);
  *error = HostError(eap::kErrorNotSupported, "PFXImportCertStore", "the Windows certificate stores exist only on Windows");
  return false;
}

bool FindUserCertificate(const Bytes&, bool*, bool*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "CertFindCertificateInStore",
                     "the Windows certificate stores exist only on Windows");
  return false;
}

}  // namespace eaphost
