// The certificate credentials of a TLS-based method (trusted CAs, own certificate chain and
// private key), parsed from PEM / PKCS#12 once per configuration and shared by every session
// that uses the same configuration. A server answering thousands of conversations with one
// certificate keeps one parsed copy of it, not one per conversation: a conversation abandoned
// after its first message then costs its TLS state and nothing more.
#pragma once

#include "gnutls_headers.h"

#include <array>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "../../../common/byte_span.h"
#include "../../support/secret_bytes.h"

#include "../tls_config.h"
#include "../tls_engine.h"
#include "tls_revocation.h"
#include "tls_verified_chains.h"

namespace eaphost {
namespace tls {

struct TlsEngineOptions;

class TlsCredentials {
 public:
  ~TlsCredentials();
  TlsCredentials(const TlsCredentials&) = delete;
  TlsCredentials& operator=(const TlsCredentials&) = delete;

  gnutls_certificate_credentials_t get() const { return credentials_; }
  // The key that seals the session tickets of an authenticator's configuration (TLS 1.2
  // RFC 5077 tickets and TLS 1.3 NewSessionTicket): the configuration's ticketKey when it
  // gives one (other processes given the same key resume these sessions), else random, made with
  // the credentials; shared by their sessions, so any conversation can resume a session another
  // one made.
  // Null for a peer, and for an authenticator whose session lifetime is 0 (no resumption).
  const gnutls_datum_t* ticketKey() const { return ticketKey_.data != nullptr ? &ticketKey_ : nullptr; }
  // An authenticator's TLS 1.2 session cache (resumption by Session ID, which peers that turn
  // tickets off, wpa_supplicant among them, rely on): installs it on `session`.
  void UseSessionCache(gnutls_session_t session) const;
  // Seconds a session stays resumable; 0 for a peer or with resumption off.
  unsigned int lifetime() const { return lifetime_; }

  // MS-PEAP fast reconnect's proof (../tls_engine.h's Phase2Mark), kept beside the TLS 1.2
  // session cache for the session `sessionId`. Only an entry the cache still holds is marked,
  // so the marks are bounded, expire and are removed with it; storing the session anew clears
  // its mark. A session whose phase 2 failed or never ended has none, and resumes into phase 2.
  void MarkPhase2Success(ByteSpan sessionId, const Phase2Mark& mark) const;
  // True (and the mark) when `sessionId` is in the cache, unexpired, marked for `methodType`.
  bool Phase2Succeeded(ByteSpan sessionId, std::uint8_t methodType, Phase2Mark* mark) const;
  // Drops the session from the cache: a conversation that failed must not be resumed.
  void ForgetSession(ByteSpan sessionId) const;

  // The certificate chains these credentials' CAs have accepted (tls_verified_chains.h).
  const VerifiedChains& verifiedChains() const { return verifiedChains_; }
  // The highest TLS version the own key can sign for: TLS 1.2 for a store key that cannot make
  // RSA-PSS signatures (tls_store_key.h), else TLS 1.3.
  std::uint16_t keyTlsMax() const { return keyTlsMax_; }
  // Why the own key keeps the peer at TLS 1.2 (tls_store_rules.h); empty when it does not.
  const std::string& keyWhyTls12() const { return keyWhyTls12_; }
  // The CRLs the other side's certificate is checked against (tls_revocation.h); null when
  // the configuration names none.
  const RevocationLists* revocation() const { return revocation_.get(); }

 private:
  friend std::shared_ptr<const TlsCredentials> SharedCredentials(const TlsEngineOptions&,
                                                                 const TlsConfig&);
  TlsCredentials() = default;
  gnutls_certificate_credentials_t credentials_ = nullptr;
  gnutls_datum_t ticketKey_{nullptr, 0};
  // How long a session an authenticator's ticket (or session cache entry) describes stays good
  // for resumption, in seconds (TlsConfig::sessionLifetime).
  unsigned int lifetime_ = 0;
  std::uint16_t keyTlsMax_ = kTls13;
  std::string keyWhyTls12_;

  // Session ID → the session's resumption data (a secret: it holds the master secret).
  struct CachedSession {
    SecretBytes data;
    std::time_t stored = 0;
    Phase2Mark phase2;
  };
  static int Store(void* context, gnutls_datum_t key, gnutls_datum_t data);
  static gnutls_datum_t Retrieve(void* context, gnutls_datum_t key);
  static int Remove(void* context, gnutls_datum_t key);
  mutable std::mutex cacheMutex_;
  mutable std::map<std::string, CachedSession> sessions_;
  VerifiedChains verifiedChains_;
  std::unique_ptr<RevocationLists> revocation_;
  // The DER OCSP response stapled to the certificate (tls_ocsp.h); empty when none.
  std::vector<std::uint8_t> ocspResponse_;
};

// The credentials for `config` in `options.role`: the ones a live session already uses when
// the configuration is the same (compared by a SHA-256 digest of everything that goes into
// them, so no copy of a private key is kept for the comparison, and the CRL files' current
// size and modification time, so a replaced CRL makes new credentials), else newly parsed ones.
// Throws MethodFailure when the configuration cannot be used (no CA and not insecure, bad PEM,
// a key that does not decrypt, a missing own certificate).
std::shared_ptr<const TlsCredentials> SharedCredentials(const TlsEngineOptions& options,
                                                        const TlsConfig& config);

}  // namespace tls
}  // namespace eaphost
