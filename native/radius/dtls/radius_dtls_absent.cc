// A build without GnuTLS for the addon (Windows, whose addon links no GnuTLS yet): RADIUS/DTLS
// cannot be opened, nor a PKCS#12 bundle read (pkcs12_chain.h), and each says so; RadSec over TLS
// is Node's and unaffected.
#include "pkcs12_chain.h"
#include "radius_dtls.h"

#include "../../common/secure_zero.h"

namespace eaphost::radius {

std::unique_ptr<DtlsClient> OpenDtlsClient(DtlsClientConfig /*config*/, std::function<void()> /*notify*/,
                                           LaneError* error) {
  *error = {"ENOTSUP", "RADIUS/DTLS needs GnuTLS, which this build of the addon does not link", 95};
  return nullptr;
}

std::unique_ptr<DtlsServer> OpenDtlsServer(DtlsServerConfig /*config*/, DtlsRecordSink& /*sink*/, LaneError* error) {
  *error = {"ENOTSUP", "RADIUS/DTLS needs GnuTLS, which this build of the addon does not link", 95};
  return nullptr;
}

bool ReadPkcs12Chain(const Bytes& /*pkcs12*/, std::string* password, std::vector<Bytes>* /*chain*/, LaneError* error) {
  SecureZeroContents(*password);
  *error = {"ENOTSUP", "reading a PKCS#12 bundle needs GnuTLS, which this build of the addon does not link", 95};
  return false;
}

}  // namespace eaphost::radius
