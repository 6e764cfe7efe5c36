// No Windows certificate stores here: the portable EAPHost's methods take `ca` as given.
#include "root_store.h"

namespace eaphost {

bool FindRootCertificate(const Bytes&, std::vector<std::string>*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "CertFindCertificateInStore",
                     "the Windows Root certificate stores exist only on Windows");
  return false;
}

bool InstallRootCertificate(const Bytes&, bool, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "CertAddEncodedCertificateToStore",
                     "the Windows Root certificate stores exist only on Windows");
  return false;
}

bool RemoveRootCertificate(const Bytes&, bool, bool*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "CertDeleteCertificateFromStore",
                     "the Windows Root certificate stores exist only on Windows");
  return false;
}

}  // namespace eaphost
