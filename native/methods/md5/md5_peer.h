// The EAP-MD5 peer (RFC 3748 §5.4): answers each MD5-Challenge request with
// MD5(Identifier || password || challenge) and the user name, from credentials that arrive
// as the user blob (md5_user_blob.h) or through EapPeerSetCredentials.
#pragma once

#include "../../abi/eap_method_abi.h"

namespace eaphost {
namespace md5 {

// Fills the routine table EapPeerGetInfo hands to the host.
void FillPeerRoutines(eap::EAP_PEER_METHOD_ROUTINES* routines);

}  // namespace md5
}  // namespace eaphost
