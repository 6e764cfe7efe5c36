#include "peap_method.h"

#include "../tls/tls_keys.h"

namespace eaphost {
namespace peap {

const MethodDescriptor kDescriptor = {kEapTypePeap, kMethodTitlePeap, true, MakePeer, MakeAuthenticator,
                                      tls::OuterIdentity};

}  // namespace peap
}  // namespace eaphost
