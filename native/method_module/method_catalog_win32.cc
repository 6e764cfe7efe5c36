// The Windows catalog: the password methods only. Windows' own EAPHost methods serve PEAP,
// EAP-TLS and EAP-TTLS there, and these builds have no GnuTLS.
#include "../methods/gtc/gtc_method.h"
#include "../methods/md5/md5_method.h"
#include "../methods/mschapv2/mschapv2_method.h"
#include "../methods/support/method_catalog.h"

namespace eaphost {

static_assert(kMethodCount == 3, "the Windows catalog lists three methods");
const MethodDescriptor* const kMethodCatalog[kMethodCount] = {
    &md5::kDescriptor,
    &gtc::kDescriptor,
    &mschapv2::kDescriptor,
};

}  // namespace eaphost
