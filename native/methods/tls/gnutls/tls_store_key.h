// The peer's own certificate from the Windows certificate store (TlsConfig::certStore), and the
// private key the store holds for it, which never leaves its key store: GnuTLS gets the chain
// and an external key (gnutls_privkey_import_ext4) whose signatures run in CNG
// (NCryptSignHash: PKCS#1 v1.5 and RSA-PSS) or, for a key only a legacy CryptoAPI provider
// holds, in CryptSignHash (PKCS#1 v1.5 only).
//
// TLS 1.3 signs a client's CertificateVerify with RSA-PSS only (RFC 8446 4.2.3), which
// CryptSignHash cannot make: with such a key the peer offers TLS 1.2 at most, and a
// configuration that allows nothing below TLS 1.3 is refused (SEC_E_UNSUPPORTED_FUNCTION).
// Off Windows there is no store: the option is refused with ERROR_NOT_SUPPORTED.
#pragma once

#include "gnutls_headers.h"

#include <cstdint>

#include "../tls_config.h"

namespace eaphost {
namespace tls {

// Finds the certificate, builds the chain it is sent with and hands both, with the store's key,
// to `target`. Returns the highest TLS version the key can sign for (kTls13, or kTls12 for a
// key that cannot sign RSA-PSS). Throws MethodFailure naming the store and the certificate when
// it is not there, has no private key the process can use, or its key is not RSA.
std::uint16_t SetStoreCertificate(gnutls_certificate_credentials_t target, const StoreCertificate& ref,
                                  const char* methodName);

}  // namespace tls
}  // namespace eaphost
