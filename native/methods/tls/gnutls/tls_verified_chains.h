// The certificate chains one configuration's trusted CAs have already accepted, so a server
// (or an EAP-TLS client) that presents the very same chain again is not verified from scratch:
// parsing it and checking the CA's signature were a third of a PEAP authentication's CPU time on
// the peer, for a verdict that cannot change while nothing it depends on does. It depends on:
//  - the chain's bytes, every certificate of it (a digest of them is the key);
//  - the trusted CAs: the cache belongs to the credentials that hold them, which never change;
//  - what else the check demanded: the role (server or client purpose), the accepted server
//    names, whether weak RSA keys were allowed (all in the key);
//  - the time: an entry is good only while now lies within every validity period the chain
//    verification looked at (each certificate of the chain and the CAs that issued them).
// Only chains that passed every check are kept; a refusal is always worked out in full, so its
// reason is exact. The handshake itself still proves, each time, that the other side holds the
// certificate's key (CertificateVerify / the key exchange), which no cache can stand in for.
#pragma once

#include "gnutls_headers.h"

#include <array>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace eaphost {
namespace tls {

class VerifiedChains {
 public:
  using Key = std::array<std::uint8_t, 32>;

  // The key of the chain `session` received, checked for `server` (else client) purpose with
  // `names` and `allowWeakRsa`. False when there is no chain or no digest could be made: then
  // nothing is looked up or kept.
  static bool KeyOf(gnutls_session_t session, bool server, const std::vector<std::string>& names,
                    bool allowWeakRsa, Key* key);
  // True when the chain under `key` passed before and `now` is within its validity.
  bool Known(const Key& key, std::time_t now) const;
  // Keeps the chain `session` received, which just passed every check against the CAs of
  // `credentials`, with the period every certificate involved is valid in.
  void Remember(const Key& key, gnutls_session_t session,
                gnutls_certificate_credentials_t credentials) const;

 private:
  struct Validity {
    std::time_t from = 0;
    std::time_t until = 0;
  };
  mutable std::mutex mutex_;
  mutable std::map<Key, Validity> chains_;
};

}  // namespace tls
}  // namespace eaphost
