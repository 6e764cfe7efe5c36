#include "mschapv2_method.h"

#include "../support/method_identity.h"

namespace eaphost {
namespace mschapv2 {

const MethodDescriptor kDescriptor = {kEapTypeMschapv2, kMethodTitleMschapv2, true, MakePeer,
                                      MakeAuthenticator};

}  // namespace mschapv2
}  // namespace eaphost
