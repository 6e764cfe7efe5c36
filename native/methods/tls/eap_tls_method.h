// EAP-TLS (type 13; RFC 5216, RFC 9190 for TLS 1.3): mutual certificate authentication; the
// MSK and EMSK come from the TLS session.
#pragma once

#include "../method.h"

namespace eaphost {
namespace tls {
extern const MethodDescriptor kDescriptor;
}  // namespace tls
}  // namespace eaphost
