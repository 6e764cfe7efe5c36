// The methods this module implements, in one table (as hostap registers its methods once):
// native/methods/methods.json, which the build turns into method_table.h. Each entry's
// makePeer / makeAuthenticator come from the method's own folder, its <name>::kDescriptor. The
// TLS-based methods need GnuTLS, which every build has but win32-arm64's (no GnuTLS for Windows
// on Arm): the build defines EAPHOST_TLS_METHODS where they are compiled in.
#pragma once

#include <cstddef>
#include <iterator>

#include "../method.h"
#include "method_table.h"

namespace eaphost {

// Each method's descriptor is defined in its folder; naming it here needs no method header.
#define EAPHOST_DECLARE_DESCRIPTOR(name, type) \
  namespace name {                             \
  extern const MethodDescriptor kDescriptor;   \
  }
EAPHOST_METHOD_TABLE(EAPHOST_DECLARE_DESCRIPTOR)
#undef EAPHOST_DECLARE_DESCRIPTOR

// Pointers, not copies: the descriptors live in other translation units, and copying them here
// would depend on the order of static initialization; their addresses are constants.
#define EAPHOST_DESCRIPTOR_ADDRESS(name, type) &name::kDescriptor,
inline constexpr const MethodDescriptor* kMethodCatalog[] = {EAPHOST_METHOD_TABLE(EAPHOST_DESCRIPTOR_ADDRESS)};
#undef EAPHOST_DESCRIPTOR_ADDRESS
constexpr std::size_t kMethodCount = std::size(kMethodCatalog);

// The catalog index of an IETF EAP type implemented here, or kMethodCount.
std::size_t FindMethod(eap::BYTE type);

// The catalog entry of the method a tunnel (PEAP, EAP-TTLS) carries inside: the inner types a
// tunnel's configuration accepts are all in the catalog, so a missing one is an internal failure.
const MethodDescriptor& InnerMethod(eap::BYTE type);

// "types 4 (EAP-MD5), 6 (EAP-GTC) and 26 (EAP-MSCHAPv2)", for errors that list what we serve.
std::string DescribeCatalog();

}  // namespace eaphost
