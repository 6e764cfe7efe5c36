// The peer's own certificate from the Windows certificate store (TlsConfig::certStore), and the
// private key the store holds for it, which never leaves its key store: GnuTLS gets the chain
// and an external key (gnutls_privkey_import_ext4) whose signatures run in CNG
// (NCryptSignHash: PKCS#1 v1.5 with the hash named, and RSA-PSS where the provider makes it) or,
// for a key only a legacy CryptoAPI provider holds, in CryptSignHash (PKCS#1 v1.5 only).
//
// TLS 1.3 signs a client's CertificateVerify with RSA-PSS only, salt = hash length (RFC 8446
// 4.2.3), which CryptSignHash cannot make, nor a TPM whose PSS uses the maximum salt, nor (as
// far as anything says) a smart card's provider: with such a key the peer offers TLS 1.2 at
// most, a configuration that allows nothing below TLS 1.3 is refused (SEC_E_UNSUPPORTED_FUNCTION),
// and the reason is named (tls_store_rules.h). Through the real EapHost the look-up runs as the
// session's user (StoreUserScope). Off Windows there is no store: ERROR_NOT_SUPPORTED.
#pragma once

#include "gnutls_headers.h"

#include <cstdint>
#include <string>

#include "../../../abi/eap_types.h"

#include "../tls_config.h"

namespace eaphost {
namespace tls {

// The highest TLS version a store key signs for, and why not TLS 1.3 (empty when it does).
struct StoreKeyLimit {
  std::uint16_t tlsMax = kTls13;
  std::string whyTls12;
};

// Finds the certificate (as the user `userToken` names, or the process when null), builds the
// chain it is sent with and hands both, with the store's key, to `target`. Throws MethodFailure
// naming the store and the certificate when it is not there, has no private key the process can
// use, its key is not RSA, or the store would be the wrong user's.
StoreKeyLimit SetStoreCertificate(gnutls_certificate_credentials_t target, const StoreCertificate& ref,
                                  const char* methodName, eap::HANDLE userToken);

// What tells one user's store key from another's in the credentials' cache (empty when the
// look-up runs as the process).
std::string StoreCertificateUser(const StoreCertificate& ref, eap::HANDLE userToken);

}  // namespace tls
}  // namespace eaphost
