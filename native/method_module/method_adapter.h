// The Windows method ABI around the methods of method_catalog.h, written once: the routine
// tables EapPeerGetInfo and EapMethodAuthenticatorGetInfo hand out (peer_adapter.cc,
// authenticator_adapter.cc). BeginSession carries no EAP type, so each catalog entry gets its
// own BeginSession entry point; every other routine is shared and finds the method through the
// session handle.
#pragma once

#include <cstddef>

#include "../abi/eap_method_abi.h"

namespace eaphost {

void FillPeerRoutines(std::size_t methodIndex, eap::EAP_PEER_METHOD_ROUTINES* routines);
void FillAuthenticatorRoutines(std::size_t methodIndex,
                               eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* routines);

}  // namespace eaphost
