// The methods this module implements, in one table (as hostap registers its methods once).
// Each entry's makePeer / makeAuthenticator come from the method's own folder.
#pragma once

#include <cstddef>

#include "method_logic.h"

namespace eaphost {

constexpr std::size_t kMethodCount = 3;
// Pointers, not copies: the descriptors live in other translation units, and copying them here
// would depend on the order of static initialization; their addresses are constants.
extern const MethodDescriptor* const kMethodCatalog[kMethodCount];

// The catalog index of an IETF EAP type implemented here, or kMethodCount.
std::size_t FindMethod(eap::BYTE type);

// "types 4 (EAP-MD5), 6 (EAP-GTC) and 26 (EAP-MSCHAPv2)", for errors that list what we serve.
std::string DescribeCatalog();

}  // namespace eaphost
