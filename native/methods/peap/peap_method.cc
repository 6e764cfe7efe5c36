#include "peap_method.h"

#include "../support/method_catalog.h"
#include "../tls/tls_keys.h"

namespace eaphost {
namespace peap {

const MethodDescriptor& InnerMethod(eap::BYTE type) {
  std::size_t index = FindMethod(type);
  if (index == kMethodCount) {
    throw InternalFailure("the inner EAP type " + Decimal(type) + " is not in this module");
  }
  return *kMethodCatalog[index];
}

const MethodDescriptor kDescriptor = {kEapTypePeap, "PEAP", true, MakePeer, MakeAuthenticator,
                                      tls::OuterIdentity};

}  // namespace peap
}  // namespace eaphost
