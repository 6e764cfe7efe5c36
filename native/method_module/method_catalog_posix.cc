// The POSIX catalog: the password methods and the TLS-based methods over GnuTLS.
#include "../methods/gtc/gtc_method.h"
#include "../methods/md5/md5_method.h"
#include "../methods/mschapv2/mschapv2_method.h"
#include "../methods/peap/peap_method.h"
#include "../methods/tls/eap_tls_method.h"
#include "../methods/ttls/ttls_method.h"
#include "../methods/support/method_catalog.h"

namespace eaphost {

static_assert(kMethodCount == 6, "the POSIX catalog lists six methods");
const MethodDescriptor* const kMethodCatalog[kMethodCount] = {
    &md5::kDescriptor,
    &gtc::kDescriptor,
    &mschapv2::kDescriptor,
    &tls::kDescriptor,
    &ttls::kDescriptor,
    &peap::kDescriptor,
};

}  // namespace eaphost
