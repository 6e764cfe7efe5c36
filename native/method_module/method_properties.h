// EapPeerGetMethodProperties for this module's methods: what each method really provides
// (RFC 3748 §7.2 claims, as EAP_METHOD_PROPERTY_TYPE names them), adjusted by the connection
// data where it decides (an anonymous outer identity, PEAP's required cryptobinding).
#pragma once

#include "../abi/eap_config_types.h"

namespace eaphost {

// Fills *array with ONE method-memory block (the property array and its string values), which
// the host frees with a single EapPeerFreeMemory on pMethodProperty. Throws std::bad_alloc.
void FillMethodProperties(eap::BYTE type, const eap::BYTE* connectionData, eap::DWORD size,
                          eap::EAP_METHOD_PROPERTY_ARRAY* array);

}  // namespace eaphost
