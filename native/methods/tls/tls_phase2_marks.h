// Fast reconnect (MS-PEAP's, and EAP-TTLS's as hostapd does it) needs to know that a resumed TLS session once carried a successful
// phase 2, whom it authenticated, and against which secret: resuming the session of a peer
// whose password failed must never skip to success, and neither may a session made with
// another user store's (or an older) password for the same name. The authenticator marks the
// TLS 1.2 session cache entry when phase 2 succeeds (gnutls/tls_credentials.h), reads the mark when a
// session resumes, and drops the entry when a conversation fails. TLS 1.3 sessions resume by
// tickets that GnuTLS seals with no room for such a mark, and the server cannot tell which
// ticket was used: they are never marked, so a resumed TLS 1.3 PEAP tunnel runs phase 2 in
// full (and the EAP-TTLS authenticator issues no TLS 1.3 tickets: gnutls/tls_engine.cc).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "../method.h"
#include "tls_engine.h"

namespace eaphost {
namespace tls {

using SecretDigest = std::array<std::uint8_t, 32>;

// A keyed digest (HMAC-SHA-256 under a random key of this process, so it can be compared but
// never attacked offline) of the identity and the secret the user store answered with: the
// clear-text password when given, else the NT hash. False when the answer holds neither.
bool DigestStoreAnswer(const std::string& identity, const eap::EapAttributes& given, SecretDigest* out);
// Equal digests, compared in constant time.
bool SameSecret(const SecretDigest& a, const SecretDigest& b);

// Phase 2 of `methodType` (the tunnel method's EAP type) succeeded for `identity`, checked
// against the secret `digest` stands for.
void MarkPhase2Success(const TlsEngine& engine, std::uint8_t methodType, const std::string& identity,
                       const SecretDigest& digest);
// The session resumed one whose phase 2 of `methodType` succeeded: true, who it was and the
// digest of the secret.
bool ResumedAfterPhase2(const TlsEngine& engine, std::uint8_t methodType, std::string* identity,
                        SecretDigest* digest);
// The conversation failed: its session is not offered for resumption again.
void ForgetCachedSession(const TlsEngine& engine);

// What a tunnel authenticator (PEAP, EAP-TTLS) keeps for fast reconnect: the digest of the
// store's answer in phase 2, for the mark, and the resumed session's mark. Wiped at the end.
class FastReconnect {
 public:
  enum class Answer { kSkipPhase2, kRunPhase2, kUnknownUser };
  explicit FastReconnect(bool enabled) : enabled_(enabled) {}
  ~FastReconnect();
  FastReconnect(const FastReconnect&) = delete;
  FastReconnect& operator=(const FastReconnect&) = delete;

  // Phase 2: the store answered about `identity`.
  void SawStoreAnswer(const std::string& identity, const eap::EapAttributes& given);
  // Phase 2 succeeded for `identity`: its session is marked (when the store's answer was seen).
  void Phase2Succeeded(const TlsEngine& engine, std::uint8_t methodType, const std::string& identity) const;
  // The tunnel is up: true, and the identity to ask the store about, when the session resumed
  // a marked one and fast reconnect is on.
  bool Resumed(const TlsEngine& engine, std::uint8_t methodType, std::string* identity);
  // The store's answer about that identity: the same secret skips phase 2, another one runs it,
  // none fails.
  Answer Judge(const std::string& identity, const eap::EapAttributes& given) const;

 private:
  const bool enabled_;
  SecretDigest seen_{};
  bool haveSeen_ = false;
  SecretDigest marked_{};
};

}  // namespace tls
}  // namespace eaphost
