// The EAP-MD5 authenticator (RFC 3748 §5.4): sends a random 16-byte MD5-Challenge, keeps the
// peer's 16-byte answer, asks the host for the user's clear-text password (RESPOND with
// eatClearTextPassword) and checks MD5(Identifier || password || challenge) against it.
#pragma once

#include "../../abi/eap_method_abi.h"

namespace eaphost {
namespace md5 {

// Fills the routine table EapMethodAuthenticatorGetInfo hands to the host.
void FillAuthenticatorRoutines(eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* routines);

}  // namespace md5
}  // namespace eaphost
