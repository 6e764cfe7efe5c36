#include "tls_peer_sessions.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>

#include "../../../common/secure_zero.h"
#include "../../support/secret_bytes.h"
#include "tls_gnutls_library.h"
#include "tls_parts_digest.h"

namespace eaphost {
namespace tls {

namespace {
// A peer talks to few servers; the oldest entry makes room past this many.
constexpr std::size_t kMaxKeptServers = 64;
// No server keeps a session longer than a day (RFC 8446 §4.6.1 caps tickets at 7 days; servers
// use far less), so older data is not even offered.
constexpr std::time_t kMaxKeptSeconds = 24 * 3600;

struct KeptSession {
  SecretBytes data;  // holds the master secret / resumption secret
  std::time_t stored = 0;
  gnutls_protocol_t version = GNUTLS_VERSION_UNKNOWN;
};

struct Store {
  std::mutex mutex;
  std::map<ServerKey, KeptSession> sessions;
};

Store& Kept() {
  static Store* store = new Store;  // never destroyed: used until unload
  return *store;
}

}  // namespace

bool ServerKeyOf(const char* methodName, const TlsConfig& config, ServerKey* key) {
  PartsDigest parts;
  if (!parts.ok()) return false;
  parts.Add(methodName, std::strlen(methodName));
  const std::uint8_t insecure = config.insecure ? 1 : 0;
  parts.Add(&insecure, 1);
  // A resumed session skips certificate verification: one verified under allowWeakRsa is
  // never offered under the stricter configuration.
  const std::uint8_t allowWeakRsa = config.allowWeakRsa ? 1 : 0;
  parts.Add(&allowWeakRsa, 1);
  parts.Add(config.ca.data(), config.ca.size());
  for (const std::string& name : config.serverNames) parts.Add(name.data(), name.size());
  parts.Add(config.certificate.data(), config.certificate.size());
  parts.Add(config.pkcs12.data(), config.pkcs12.size());
  const std::uint16_t versions[2] = {config.tlsMin, config.tlsMax};
  parts.Add(versions, sizeof(versions));
  parts.Finish(key);
  return true;
}

bool OfferKeptSession(gnutls_session_t session, const ServerKey& key, gnutls_protocol_t* version) {
  Store& store = Kept();
  std::lock_guard<std::mutex> lock(store.mutex);
  auto found = store.sessions.find(key);
  if (found == store.sessions.end()) return false;
  if (std::time(nullptr) - found->second.stored > kMaxKeptSeconds) {
    store.sessions.erase(found);
    return false;
  }
  // Data GnuTLS does not accept (another version's format) just means a full handshake.
  if (gnutls_session_set_data(session, found->second.data.data(), found->second.data.size()) < 0) {
    store.sessions.erase(found);
    return false;
  }
  *version = found->second.version;
  return true;
}

void ForgetSession(const ServerKey& key) {
  Store& store = Kept();
  std::lock_guard<std::mutex> lock(store.mutex);
  store.sessions.erase(key);  // SecretBytes zeroes the resumption secret
}

void KeepSession(gnutls_session_t session, const ServerKey& key) {
  gnutls_datum_t data{nullptr, 0};
  if (gnutls_session_get_data2(session, &data) < 0 || data.data == nullptr) return;
  try {
    Store& store = Kept();
    std::lock_guard<std::mutex> lock(store.mutex);
    if (store.sessions.size() >= kMaxKeptServers && store.sessions.find(key) == store.sessions.end()) {
      auto oldest = store.sessions.begin();
      for (auto entry = store.sessions.begin(); entry != store.sessions.end(); ++entry) {
        if (entry->second.stored < oldest->second.stored) oldest = entry;
      }
      store.sessions.erase(oldest);
    }
    KeptSession& slot = store.sessions[key];
    slot.data.Assign(data.data, data.size);
    slot.stored = std::time(nullptr);
    slot.version = gnutls_protocol_get_version(session);
  } catch (...) {
    // Out of memory: the next authentication runs a full handshake.
  }
  SecureZero(data.data, data.size);
  TlsLibraryFree(data.data);
}

}  // namespace tls
}  // namespace eaphost
