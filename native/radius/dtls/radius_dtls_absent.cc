// A build without GnuTLS for the addon (Windows, whose addon links no GnuTLS yet): RADIUS/DTLS
// cannot be opened, and says so; RadSec over TLS is Node's and unaffected.
#include "radius_dtls.h"

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

}  // namespace eaphost::radius
