// The certificate credentials of a TLS-based method (trusted CAs, own certificate chain and
// private key), parsed from PEM / PKCS#12 once per configuration and shared by every session
// that uses the same configuration. A server answering thousands of conversations with one
// certificate keeps one parsed copy of it, not one per conversation: a conversation abandoned
// after its first message then costs its TLS state and nothing more.
#pragma once

#include <gnutls/gnutls.h>

#include <memory>

#include "tls_config.h"

namespace eaphost {
namespace tls {

struct TlsEngineOptions;

class TlsCredentials {
 public:
  ~TlsCredentials();
  TlsCredentials(const TlsCredentials&) = delete;
  TlsCredentials& operator=(const TlsCredentials&) = delete;

  gnutls_certificate_credentials_t get() const { return credentials_; }

 private:
  friend std::shared_ptr<const TlsCredentials> SharedCredentials(const TlsEngineOptions&,
                                                                 const TlsConfig&);
  TlsCredentials() = default;
  gnutls_certificate_credentials_t credentials_ = nullptr;
};

// The credentials for `config` in `options.role`: the ones a live session already uses when
// the configuration is the same (compared by a SHA-256 digest of everything that goes into
// them, so no copy of a private key is kept for the comparison), else newly parsed ones.
// Throws MethodFailure when the configuration cannot be used (no CA and not insecure, bad PEM,
// a key that does not decrypt, a missing own certificate).
std::shared_ptr<const TlsCredentials> SharedCredentials(const TlsEngineOptions& options,
                                                        const TlsConfig& config);

}  // namespace tls
}  // namespace eaphost
