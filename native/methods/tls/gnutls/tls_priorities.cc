#include "tls_priorities.h"

#include <map>
#include <mutex>
#include <string>

namespace eaphost {
namespace tls {

namespace {
// Owns one reference to each cache; a session holds its own (gnutls_priority_set), so a
// session still alive when the module unloads keeps its cache valid.
struct PriorityCaches {
  std::mutex mutex;
  std::map<std::string, gnutls_priority_t> byString;
  ~PriorityCaches() {
    for (auto& entry : byString) gnutls_priority_deinit(entry.second);
  }
};

PriorityCaches& Caches() {
  static PriorityCaches caches;
  return caches;
}

// GnuTLS's NORMAL groups, X25519 first instead of P-256: the key exchange costs each side
// about half as much (X25519 is GnuTLS's fastest group; P-256 ECDHE was an eighth of a PEAP
// authentication's CPU time), and every peer and server of today offers it (OpenSSL's default
// group, hence wpa_supplicant's, hostapd's and FreeRADIUS's; Windows since 10). A side that
// lacks it still agrees on P-256 or another group of the same list.
constexpr const char* kGroups =
    ":-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:+GROUP-X448"
    ":+GROUP-FFDHE2048:+GROUP-FFDHE3072:+GROUP-FFDHE4096:+GROUP-FFDHE6144:+GROUP-FFDHE8192";

std::string VersionPriority(std::uint16_t tlsMin, std::uint16_t tlsMax) {
  std::string priority = "NORMAL:-VERS-ALL";
  if (tlsMax >= kTls13 && tlsMin <= kTls13) priority += ":+VERS-TLS1.3";
  if (tlsMin <= kTls12 && tlsMax >= kTls12) priority += ":+VERS-TLS1.2";
  // TLS 1.0 / 1.1 only where the configuration allowed them (the connection data's allowObsoleteTls flag).
  if (tlsMin <= kTls11 && tlsMax >= kTls11) priority += ":+VERS-TLS1.1";
  if (tlsMin <= kTls10) priority += ":+VERS-TLS1.0";
  return priority + kGroups;
}
}  // namespace

gnutls_priority_t SharedPriority(std::uint16_t tlsMin, std::uint16_t tlsMax, int* rc) {
  const std::string priority = VersionPriority(tlsMin, tlsMax);
  PriorityCaches& caches = Caches();
  std::lock_guard<std::mutex> lock(caches.mutex);
  auto found = caches.byString.find(priority);
  if (found != caches.byString.end()) {
    *rc = 0;
    return found->second;
  }
  gnutls_priority_t made = nullptr;
  *rc = gnutls_priority_init(&made, priority.c_str(), nullptr);
  if (*rc < 0) return nullptr;
  try {
    caches.byString.emplace(priority, made);
  } catch (...) {
    gnutls_priority_deinit(made);
    throw;
  }
  return made;
}

}  // namespace tls
}  // namespace eaphost
