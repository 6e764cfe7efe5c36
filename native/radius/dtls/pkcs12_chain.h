// The certificates of a PKCS#12 bundle, for `eaphost audit` and `eaphost profile` to judge (the
// strong-mapping check, lib/audit/certificates.ts). The addon's GnuTLS is RADIUS/DTLS's
// (radius_gnutls.h), so this lives beside it and builds where it does; where the addon links no
// GnuTLS (radius_dtls_absent.cc) it says ENOTSUP.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "../wire/radius_base.h"

namespace eaphost::radius {

// The largest bundle read: far above any certificate chain and its key.
inline constexpr std::size_t kMaxPkcs12Bytes = 1024 * 1024;

// The bundle's certificate chain as EAP-TLS would present it, leaf first, each one's DER. It is read
// with the call EAP-TLS loads the bundle with (gnutls_certificate_set_x509_simple_pkcs12_mem,
// native/methods/tls/gnutls/tls_credentials.cc), so the leaf is the one whose key the bundle holds;
// that key stays inside GnuTLS and is freed (GnuTLS clears it) before this returns. `password`
// (empty: none, as the method takes it) is wiped whatever the outcome. False with *error:
// ERR_PKCS12_PASSWORD (the MAC or a bag does not open with it), ERR_PKCS12_MALFORMED (empty, over
// kMaxPkcs12Bytes, or not a bundle GnuTLS reads), ENOTSUP or ENOENT (no GnuTLS here).
bool ReadPkcs12Chain(const Bytes& pkcs12, std::string* password, std::vector<Bytes>* chain, LaneError* error);

}  // namespace eaphost::radius
