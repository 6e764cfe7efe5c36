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

std::string VersionPriority(const TlsConfig& config) {
  std::string priority = "NORMAL:-VERS-ALL";
  if (config.tlsMax >= kTls13 && config.tlsMin <= kTls13) priority += ":+VERS-TLS1.3";
  if (config.tlsMin <= kTls12 && config.tlsMax >= kTls12) priority += ":+VERS-TLS1.2";
  return priority;
}
}  // namespace

gnutls_priority_t SharedPriority(const TlsConfig& config, int* rc) {
  const std::string priority = VersionPriority(config);
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
