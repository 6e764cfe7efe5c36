// The POSIX catalog: the password methods and the TLS-based methods over GnuTLS.
#include "../gtc/gtc_method.h"
#include "../md5/md5_method.h"
#include "../mschapv2/mschapv2_method.h"
#include "../peap/peap_method.h"
#include "../tls/eap_tls_method.h"
#include "../ttls/ttls_method.h"
#include "method_catalog.h"

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
