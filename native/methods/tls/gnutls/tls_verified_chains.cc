#include "tls_verified_chains.h"

#include "gnutls_headers.h"

#include <algorithm>
#include <limits>

#include "tls_parts_digest.h"

namespace eaphost {
namespace tls {

namespace {
// Chains kept per configuration. A peer meets one server chain (a few when a server farm
// rotates certificates), an authenticator one chain per EAP-TLS client it sees again; past
// this many the expired entries go, then an arbitrary one (the keys are digests).
constexpr std::size_t kMaxChains = 1024;
constexpr unsigned int kMaxChainLength = 16;

// Narrows `from`..`until` to the validity of `crt`.
void Narrow(gnutls_x509_crt_t crt, std::time_t* from, std::time_t* until) {
  const std::time_t activation = gnutls_x509_crt_get_activation_time(crt);
  const std::time_t expiration = gnutls_x509_crt_get_expiration_time(crt);
  // An unreadable date makes the period empty: such a chain is checked every time.
  if (activation == static_cast<std::time_t>(-1) || expiration == static_cast<std::time_t>(-1)) {
    *until = *from;
    return;
  }
  *from = std::max(*from, activation);
  *until = std::min(*until, expiration);
}
}  // namespace

bool VerifiedChains::KeyOf(gnutls_session_t session, bool server, const std::vector<std::string>& names,
                           bool allowWeakRsa, Key* key) {
  unsigned int count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(session, &count);
  if (chain == nullptr || count == 0 || count > kMaxChainLength) return false;
  PartsDigest parts;
  if (!parts.ok()) return false;
  const std::uint8_t flags[2] = {static_cast<std::uint8_t>(server ? 1 : 2),
                                 static_cast<std::uint8_t>(allowWeakRsa ? 1 : 0)};
  parts.Add(flags, sizeof(flags));
  parts.Add(&count, sizeof(count));
  for (unsigned int i = 0; i < count; ++i) parts.Add(chain[i].data, chain[i].size);
  const std::size_t nameCount = names.size();
  parts.Add(&nameCount, sizeof(nameCount));
  for (const std::string& name : names) parts.Add(name.data(), name.size());
  parts.Finish(key);
  return true;
}

bool VerifiedChains::Known(const Key& key, std::time_t now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = chains_.find(key);
  if (found == chains_.end()) return false;
  if (now < found->second.from || now > found->second.until) {
    chains_.erase(found);
    return false;
  }
  return true;
}

void VerifiedChains::Remember(const Key& key, gnutls_session_t session,
                              gnutls_certificate_credentials_t credentials) const {
  unsigned int count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(session, &count);
  if (chain == nullptr || count == 0 || count > kMaxChainLength) return;
  Validity validity{0, std::numeric_limits<std::time_t>::max()};
  for (unsigned int i = 0; i < count; ++i) {
    gnutls_x509_crt_t crt = nullptr;
    if (gnutls_x509_crt_init(&crt) < 0) return;
    if (gnutls_x509_crt_import(crt, &chain[i], GNUTLS_X509_FMT_DER) < 0) {
      gnutls_x509_crt_deinit(crt);
      return;
    }
    Narrow(crt, &validity.from, &validity.until);
    // The trusted CA that issued it (owned by the credentials): its period counted too.
    gnutls_x509_crt_t issuer = nullptr;
    if (gnutls_certificate_get_issuer(credentials, crt, &issuer, 0) >= 0 && issuer != nullptr) {
      Narrow(issuer, &validity.from, &validity.until);
    }
    gnutls_x509_crt_deinit(crt);
  }
  if (validity.until <= validity.from) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (chains_.size() >= kMaxChains) {
    const std::time_t now = std::time(nullptr);
    for (auto entry = chains_.begin(); entry != chains_.end();) {
      entry = now > entry->second.until ? chains_.erase(entry) : std::next(entry);
    }
    if (chains_.size() >= kMaxChains) chains_.erase(chains_.begin());
  }
  chains_[key] = validity;
}

}  // namespace tls
}  // namespace eaphost
