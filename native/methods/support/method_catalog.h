// The methods this module implements, in one table (as hostap registers its methods once).
// Each entry's makePeer / makeAuthenticator come from the method's own folder. The table itself
// is per platform (method_catalog_posix.cc, method_catalog_win32.cc): the TLS-based methods
// need GnuTLS, which Windows builds do not have (there, Windows' own PEAP / EAP-TLS / TTLS
// serve). The build defines EAPHOST_TLS_METHODS where the TLS methods are compiled in.
#pragma once

#include <cstddef>

#include "../method.h"

namespace eaphost {

#if defined(EAPHOST_TLS_METHODS)
constexpr std::size_t kMethodCount = 6;  // MD5, GTC, MSCHAPv2, EAP-TLS, EAP-TTLS, PEAP
#else
constexpr std::size_t kMethodCount = 3;  // MD5, GTC, MSCHAPv2
#endif
// Pointers, not copies: the descriptors live in other translation units, and copying them here
// would depend on the order of static initialization; their addresses are constants.
extern const MethodDescriptor* const kMethodCatalog[kMethodCount];

// The catalog index of an IETF EAP type implemented here, or kMethodCount.
std::size_t FindMethod(eap::BYTE type);

// The catalog entry of the method a tunnel (PEAP, EAP-TTLS) carries inside: the inner types a
// tunnel's configuration accepts are all in the catalog, so a missing one is an internal failure.
const MethodDescriptor& InnerMethod(eap::BYTE type);

// "types 4 (EAP-MD5), 6 (EAP-GTC) and 26 (EAP-MSCHAPv2)", for errors that list what we serve.
std::string DescribeCatalog();

}  // namespace eaphost
