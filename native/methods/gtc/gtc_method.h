// EAP-GTC (RFC 3748 §5.6): the authenticator shows a message, the peer answers with the
// password in clear. Only safe inside a tunnel (PEAP, EAP-TTLS); no keys.
#pragma once

#include "../method.h"

namespace eaphost {
namespace gtc {
extern const MethodDescriptor kDescriptor;
}  // namespace gtc
}  // namespace eaphost
