#include "tls_credentials.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "../../../common/gnutls_pem.h"
#include "../../../common/secure_zero.h"
#include "../tls_engine.h"
#include "../tls_errors.h"
#include "tls_ocsp.h"
#include "tls_gnutls_library.h"
#include "tls_parts_digest.h"
#include "tls_rsa_signer.h"
#include "tls_store_key.h"

namespace eaphost {
namespace tls {

namespace {
using Digest = PartsDigestValue;

MethodFailure Unusable(const char* methodName, const std::string& what, int rc) {
  return MethodFailure{eap::kErrorInvalidData, 0,
                       std::string("The ") + methodName + " configuration cannot be used: " +
                           what + (rc != 0 ? std::string(" (") + gnutls_strerror(rc) + ")" : ""),
                       std::string()};
}

gnutls_datum_t Datum(const SecretBytes& bytes) {
  return gnutls_datum_t{const_cast<unsigned char*>(bytes.data()),
                        static_cast<unsigned int>(bytes.size())};
}

// What the credentials are made of, each part length-prefixed so no two configurations
// hash alike by shifting bytes between fields.
Digest DigestOf(bool client, bool verifiesClient, const TlsConfig& config, const std::string& crlStamps,
                const std::string& storeUser) {
  PartsDigest parts;
  if (!parts.ok()) throw InternalFailure("GnuTLS has no SHA-256");
  const std::uint8_t role = client ? 1 : 2;
  parts.Add(&role, 1);
  // Resumption skips the client certificate check: the tickets and cached sessions of a server
  // that asks for no client certificate (a tunnel's outer TLS) must never resume one that does
  // (EAP-TLS, also as TEAP's inner method with the same configuration), or a session made
  // without a certificate would pass for one made with it.
  const std::uint8_t verifies = verifiesClient ? 1 : 0;
  parts.Add(&verifies, 1);
  parts.Add(config.ca.data(), config.ca.size());
  parts.Add(config.certificate.data(), config.certificate.size());
  parts.Add(config.privateKey.data(), config.privateKey.size());
  parts.Add(config.privateKeyPassword.data(), config.privateKeyPassword.size());
  parts.Add(config.pkcs12.data(), config.pkcs12.size());
  parts.Add(config.certStore.encoded.data(), config.certStore.encoded.size());
  // A store key is the key of the user whose store was opened: never another user's session's.
  parts.Add(storeUser.data(), storeUser.size());
  const std::uint32_t lifetime = client ? 0 : config.sessionLifetime;
  parts.Add(&lifetime, sizeof(lifetime));
  // A configuration given a ticket key seals its tickets with that one: a new key (the file
  // rewritten, serve reloaded) makes new credentials, and the old key's tickets stay with the old.
  if (!client) parts.Add(config.ticketKey.data(), config.ticketKey.size());
  // An authenticator's TLS versions too: GnuTLS resumes a cached session in the version it was
  // made with, whatever the priorities say, so a TLS 1.3-only configuration sharing the cache
  // and ticket key of a TLS 1.2 one would resume TLS 1.2 sessions.
  const std::uint16_t versions[2] = {client ? std::uint16_t{0} : config.tlsMin,
                                     client ? std::uint16_t{0} : config.tlsMax};
  parts.Add(versions, sizeof(versions));
  // Resumption skips the client certificate check: a session cache filled under allowWeakRsa
  // is not shared with a configuration that refuses weak keys.
  const std::uint8_t allowWeakRsa = client ? 0 : (config.allowWeakRsa ? 1 : 0);
  parts.Add(&allowWeakRsa, 1);
  // The CRLs as they are on disk now: a file replaced since makes other credentials, and the
  // sessions resumable under the old CRL stay behind with the old ones.
  parts.Add(crlStamps.data(), crlStamps.size());
  Digest digest;
  parts.Finish(&digest);
  return digest;
}

// Live credentials by configuration digest. Entries whose sessions have all ended are pruned
// whenever another configuration is added, so the map never outgrows the configurations in use.
struct CredentialCache {
  std::mutex mutex;
  std::map<Digest, std::weak_ptr<const TlsCredentials>> entries;
  // Credentials kept alive past their last session, with when they were last asked for and for
  // how many seconds: an authenticator's carry its ticket key and session cache, so a peer
  // coming back between conversations can still resume; a peer's carry its parsed CAs, its own
  // certificate and key (EAP-TLS: parsing and matching them was half of an EAP-TLS
  // authentication's CPU time on the peer) and the chains they verified
  // (tls_verified_chains.h), so a peer authenticating again soon does none of that afresh.
  struct Kept {
    std::shared_ptr<const TlsCredentials> credentials;
    std::time_t used = 0;
    unsigned int seconds = 0;
  };
  std::map<Digest, Kept> kept;
};

// How long parsed credentials outlive their last session at least: long enough for the next
// authentication of a busy peer, or the next conversation of an authenticator that runs one at
// a time, short enough that a configuration no longer used (and its private key, freed by
// GnuTLS) goes soon.
constexpr unsigned int kParsedKeepSeconds = 60;

void Keep(CredentialCache& cache, const Digest& digest,
          const std::shared_ptr<const TlsCredentials>& credentials, unsigned int seconds) {
  std::time_t now = std::time(nullptr);
  for (auto entry = cache.kept.begin(); entry != cache.kept.end();) {
    entry = now - entry->second.used > static_cast<std::time_t>(entry->second.seconds)
                ? cache.kept.erase(entry)
                : std::next(entry);
  }
  if (seconds == 0) return;  // nothing worth keeping them for
  cache.kept[digest] = CredentialCache::Kept{credentials, now, seconds};
}

// Seconds the credentials outlive their last session (see CredentialCache::kept). An
// authenticator's with resumption off too: loading its certificate and key (GnuTLS checks that
// they match, with a signature and its verification) was about a third of a PEAP
// authentication's CPU time whenever no other conversation held them.
unsigned int KeepSeconds(bool client, const TlsCredentials& credentials) {
  return client ? kParsedKeepSeconds : std::max(kParsedKeepSeconds, credentials.lifetime());
}

CredentialCache& Cache() {
  static CredentialCache* cache = new CredentialCache;  // never destroyed: used until unload
  return *cache;
}

// Loads the own certificate chain and private key, from PKCS#12 or from PEM, into `credentials`.
void LoadOwn(gnutls_certificate_credentials_t credentials, const TlsConfig& config, const char* password,
             const char* methodName) {
  if (config.pkcs12.size() != 0) {
    gnutls_datum_t der = Datum(config.pkcs12);
    const int rc = gnutls_certificate_set_x509_simple_pkcs12_mem(credentials, &der, GNUTLS_X509_FMT_DER, password);
    if (rc < 0) throw Unusable(methodName, "the PKCS#12 bundle could not be read (wrong password?)", rc);
    return;
  }
  const int rc = gnutls_pem::LoadKeyPair(credentials, reinterpret_cast<const unsigned char*>(config.certificate.data()),
                                        config.certificate.size(), config.privateKey.data(), config.privateKey.size(),
                                        password);
  if (rc < 0) {
    throw Unusable(methodName,
                   "the certificate and private key could not be loaded (wrong key password, "
                   "or a key that does not match the certificate?)", rc);
  }
}

// Credentials that only carry a loaded key to the signer, freed on every way out.
struct LoadedOwn {
  gnutls_certificate_credentials_t credentials = nullptr;
  ~LoadedOwn() {
    if (credentials != nullptr) gnutls_certificate_free_credentials(credentials);
  }
};

// Scrubs the C-string copy of a key password GnuTLS needs, on every way out.
struct PasswordText {
  std::string text;
  ~PasswordText() { SecureZero(&text[0], text.size()); }
};
}  // namespace

TlsCredentials::~TlsCredentials() {
  if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
  if (ticketKey_.data != nullptr) {
    SecureZero(ticketKey_.data, ticketKey_.size);
    TlsLibraryFree(ticketKey_.data);
  }
}

namespace {
// The most sessions one configuration keeps for resumption: a flood of full handshakes must
// not grow it without end. The oldest entry makes room.
constexpr std::size_t kMaxCachedSessions = 20000;
}  // namespace

void TlsCredentials::UseSessionCache(gnutls_session_t session) const {
  gnutls_db_set_ptr(session, const_cast<TlsCredentials*>(this));
  gnutls_db_set_store_function(session, &TlsCredentials::Store);
  gnutls_db_set_retrieve_function(session, &TlsCredentials::Retrieve);
  gnutls_db_set_remove_function(session, &TlsCredentials::Remove);
  gnutls_db_set_cache_expiration(session, static_cast<int>(lifetime_));
}

int TlsCredentials::Store(void* context, gnutls_datum_t key, gnutls_datum_t data) {
  auto* self = static_cast<TlsCredentials*>(context);
  try {
    std::string id(reinterpret_cast<const char*>(key.data), key.size);
    std::lock_guard<std::mutex> lock(self->cacheMutex_);
    std::time_t now = std::time(nullptr);
    if (self->sessions_.size() >= kMaxCachedSessions) {
      auto oldest = self->sessions_.begin();
      for (auto entry = self->sessions_.begin(); entry != self->sessions_.end(); ++entry) {
        if (now - entry->second.stored > static_cast<std::time_t>(self->lifetime_)) {
          oldest = entry;
          break;
        }
        if (entry->second.stored < oldest->second.stored) oldest = entry;
      }
      self->sessions_.erase(oldest);
    }
    CachedSession& slot = self->sessions_[id];
    slot.data.Assign(data.data, data.size);
    slot.stored = now;
    slot.phase2 = Phase2Mark();  // a session stored anew has proven nothing yet
    return 0;
  } catch (...) {
    return -1;
  }
}

gnutls_datum_t TlsCredentials::Retrieve(void* context, gnutls_datum_t key) {
  auto* self = static_cast<TlsCredentials*>(context);
  gnutls_datum_t out{nullptr, 0};
  try {
    std::string id(reinterpret_cast<const char*>(key.data), key.size);
    std::lock_guard<std::mutex> lock(self->cacheMutex_);
    auto found = self->sessions_.find(id);
    if (found == self->sessions_.end()) return out;
    if (std::time(nullptr) - found->second.stored > static_cast<std::time_t>(self->lifetime_)) {
      self->sessions_.erase(found);
      return out;
    }
    out.data = static_cast<unsigned char*>(TlsLibraryAllocate(found->second.data.size()));
    if (out.data == nullptr) return out;
    std::memcpy(out.data, found->second.data.data(), found->second.data.size());
    out.size = static_cast<unsigned int>(found->second.data.size());
  } catch (...) {
  }
  return out;
}

int TlsCredentials::Remove(void* context, gnutls_datum_t key) {
  auto* self = static_cast<TlsCredentials*>(context);
  try {
    std::string id(reinterpret_cast<const char*>(key.data), key.size);
    std::lock_guard<std::mutex> lock(self->cacheMutex_);
    self->sessions_.erase(id);
  } catch (...) {
    return -1;
  }
  return 0;
}

void TlsCredentials::MarkPhase2Success(ByteSpan sessionId, const Phase2Mark& mark) const {
  if (sessionId.size == 0 || mark.methodType == 0) return;
  std::string id(reinterpret_cast<const char*>(sessionId.data), sessionId.size);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return;  // evicted or forgotten: nothing left to resume
  found->second.phase2 = mark;
}

bool TlsCredentials::Phase2Succeeded(ByteSpan sessionId, std::uint8_t methodType,
                                     Phase2Mark* mark) const {
  if (sessionId.size == 0 || methodType == 0) return false;
  std::string id(reinterpret_cast<const char*>(sessionId.data), sessionId.size);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return false;
  if (std::time(nullptr) - found->second.stored > static_cast<std::time_t>(lifetime_)) return false;
  if (found->second.phase2.methodType != methodType) return false;
  *mark = found->second.phase2;
  return true;
}

void TlsCredentials::ForgetSession(ByteSpan sessionId) const {
  if (sessionId.size == 0) return;
  std::string id(reinterpret_cast<const char*>(sessionId.data), sessionId.size);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  sessions_.erase(id);
}

std::shared_ptr<const TlsCredentials> SharedCredentials(const TlsEngineOptions& options,
                                                        const TlsConfig& config) {
  const bool client = options.role == TlsRole::kClient;
  const char* methodName = options.methodName;
  if (client && config.ca.empty() && !config.insecure) {
    throw MethodFailure{eap::kErrorInvalidData, kEapServerRootCertNotFound,
                        std::string("The ") + methodName +
                            " peer has no trusted CA configured: give a CA or insecure",
                        "Give the CA that issued the server's certificate (or, knowingly, "
                        "the insecure option that skips server verification)"};
  }
  const bool fromStore = config.certStore.given;
  if (fromStore && !client) {
    throw Unusable(methodName, "certStore names a peer's certificate; the authenticator takes cert and key, or pkcs12", 0);
  }
  const bool haveOwn = fromStore || config.pkcs12.size() != 0 ||
                       (!config.certificate.empty() && config.privateKey.size() != 0);
  if (config.pkcs12.size() == 0 && (config.certificate.empty() != (config.privateKey.size() == 0))) {
    throw Unusable(methodName, "a certificate needs its private key and the other way round", 0);
  }
  if (!client && !haveOwn) {
    throw Unusable(methodName, "the authenticator needs a server certificate and key", 0);
  }
  if (client && options.needOwnCertificate && !haveOwn) {
    throw MethodFailure{eap::kErrorInvalidData, kEapUserCertNotFound,
                        std::string("The ") + methodName +
                            " peer has no client certificate configured",
                        "Give a client certificate and key (or a PKCS#12 bundle)"};
  }
  if (!client && options.requestClientCertificate && config.ca.empty()) {
    throw Unusable(methodName, "the authenticator needs a CA to verify client certificates with", 0);
  }

  // A stat per file per handshake: cheap, and a new CRL takes effect without a restart.
  std::string crlStamps = CrlFileStamps(config.crlFiles, methodName);
  // The stapled OCSP response likewise: a fresh one on disk is stapled from the next handshake.
  if (!client && !config.ocspResponseFile.empty()) {
    crlStamps += CrlFileStamps({config.ocspResponseFile}, methodName, "OCSP response");
  }
  const std::string storeUser = fromStore ? StoreCertificateUser(config.certStore, options.userToken) : std::string();
  const Digest digest = DigestOf(client, !client && options.requestClientCertificate, config, crlStamps, storeUser);
  CredentialCache& cache = Cache();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto found = cache.entries.find(digest);
    if (found != cache.entries.end()) {
      if (std::shared_ptr<const TlsCredentials> live = found->second.lock()) {
        Keep(cache, digest, live, KeepSeconds(client, *live));
        return live;
      }
    }
  }

  // Parsed outside the lock: a private key takes a while, and other configurations need not wait.
  std::shared_ptr<TlsCredentials> made(new TlsCredentials);
  int rc = gnutls_certificate_allocate_credentials(&made->credentials_);
  if (rc < 0) throw InternalFailure("GnuTLS could not allocate credentials");
  // GnuTLS's chain check would also judge whatever OCSP response the server staples (its CRL
  // checks are the same switch): the peer judges a staple itself, and only when asked to
  // (CheckOcspStaple, in OCSP's words), and CRLs are checked apart (RevocationLists).
  gnutls_certificate_set_verify_flags(made->credentials_, gnutls_certificate_get_verify_flags(made->credentials_) |
                                                              GNUTLS_VERIFY_DISABLE_CRL_CHECKS);
  if (!config.ca.empty()) {
    rc = gnutls_pem::LoadTrust(made->credentials_, reinterpret_cast<const unsigned char*>(config.ca.data()),
                               config.ca.size());
    if (rc <= 0) {
      throw Unusable(methodName, "the CA holds no readable PEM certificate", rc < 0 ? rc : 0);
    }
  }
  PasswordText password;  // GnuTLS takes a C string
  const char* passwordText = nullptr;
  if (config.privateKeyPassword.size() != 0) {
    password.text.assign(reinterpret_cast<const char*>(config.privateKeyPassword.data()),
                         config.privateKeyPassword.size());
    passwordText = password.text.c_str();
  }
  if (fromStore) {
    StoreKeyLimit limit = SetStoreCertificate(made->credentials_, config.certStore, methodName, options.userToken);
    made->keyTlsMax_ = limit.tlsMax;
    made->keyWhyTls12_ = std::move(limit.whyTls12);
  } else if (haveOwn) {
    rc = 0;
    if (RsaSignerAvailable()) {
      // Loaded apart first, to learn the key's type with every format and password handled as
      // below; an RSA key then signs in the OS signer (tls_rsa_signer.h).
      LoadedOwn loaded;
      rc = gnutls_certificate_allocate_credentials(&loaded.credentials);
      if (rc < 0) throw InternalFailure("GnuTLS could not allocate credentials");
      LoadOwn(loaded.credentials, config, passwordText, methodName);
      rc = SetKeyWithRsaSigner(made->credentials_, loaded.credentials);
      if (rc < 0) throw Unusable(methodName, "the RSA private key could not be handed to its signer", rc);
    }
    if (rc == 0) LoadOwn(made->credentials_, config, passwordText, methodName);
  }

  if (!client && !config.ocspResponseFile.empty()) {
    StapleOcspResponse(made->credentials_, config.ocspResponseFile, methodName, &made->ocspResponse_);
  }
  if (!config.crlFiles.empty()) made->revocation_.reset(new RevocationLists(config.crlFiles, methodName));

  if (!client && config.sessionLifetime != 0) {
    made->lifetime_ = config.sessionLifetime;
    if (config.ticketKey.size() == kTicketKeySize) {
      // The key given (shared with other instances): copied where GnuTLS's allocator owns it,
      // as a generated one is, and wiped with it in the destructor.
      made->ticketKey_.data = static_cast<unsigned char*>(TlsLibraryAllocate(kTicketKeySize));
      if (made->ticketKey_.data == nullptr) throw InternalFailure("no memory for the session ticket key");
      std::memcpy(made->ticketKey_.data, config.ticketKey.data(), kTicketKeySize);
      made->ticketKey_.size = static_cast<unsigned int>(kTicketKeySize);
    } else {
      rc = gnutls_session_ticket_key_generate(&made->ticketKey_);
      if (rc < 0) throw InternalFailure("GnuTLS could not make a session ticket key");
    }
  }

  std::lock_guard<std::mutex> lock(cache.mutex);
  auto found = cache.entries.find(digest);
  if (found != cache.entries.end()) {
    // Another session parsed the same configuration meanwhile: share its copy.
    if (std::shared_ptr<const TlsCredentials> live = found->second.lock()) {
      Keep(cache, digest, live, KeepSeconds(client, *live));
      return live;
    }
  }
  Keep(cache, digest, made, KeepSeconds(client, *made));
  for (auto entry = cache.entries.begin(); entry != cache.entries.end();) {
    entry = entry->second.expired() ? cache.entries.erase(entry) : std::next(entry);
  }
  cache.entries[digest] = made;
  return made;
}

}  // namespace tls
}  // namespace eaphost
