// PEAPv0 (type 25; MS-PEAP): a TLS tunnel carrying an inner EAP method — EAP-MSCHAPv2 by
// default, EAP-GTC or EAP-MD5 when configured — taken from this module's catalog, never a
// second copy. Phase-2 packets travel without their EAP header, except the Extensions packets
// (type 33) whose Result TLV ends phase 2.
#pragma once

#include <memory>

#include "../method.h"
#include "../support/method_identity.h"

namespace eaphost {
namespace peap {

extern const MethodDescriptor kDescriptor;

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context);
std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context);

}  // namespace peap
}  // namespace eaphost
