// EAP-MD5 (RFC 3748 §5.4): CHAP (RFC 1994) over EAP. It proves the peer knows the password and
// nothing else: no server authentication, no keys. Shipped for interoperability tests.
#pragma once

#include "../method.h"

namespace eaphost {
namespace md5 {
extern const MethodDescriptor kDescriptor;
}  // namespace md5
}  // namespace eaphost
