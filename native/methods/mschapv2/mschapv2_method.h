// EAP-MSCHAPv2 (type 26; draft-kamath-pppext-eap-mschapv2, RFC 2759, RFC 3079): mutual
// password authentication with a 32-byte MSK; the inner method of PEAP.
#pragma once

#include <memory>

#include "../method.h"

namespace eaphost {
namespace mschapv2 {

extern const MethodDescriptor kDescriptor;

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context);
std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context);

}  // namespace mschapv2
}  // namespace eaphost
