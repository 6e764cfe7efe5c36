#include "tls_rsa_signer.h"

// Windows has no libcrypto to borrow (tls_rsa_signer.h): GnuTLS keeps every key and signs it
// itself, as it does on POSIX when libcrypto cannot be loaded.

namespace eaphost {
namespace tls {

bool RsaSignerAvailable() { return false; }

int SetKeyWithRsaSigner(gnutls_certificate_credentials_t, gnutls_certificate_credentials_t) { return 0; }

}  // namespace tls
}  // namespace eaphost
