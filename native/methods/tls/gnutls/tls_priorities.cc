#include "tls_priorities.h"

#include <algorithm>
#include <cstdint>
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

// The authenticator's own order, where it chooses (ServerMayChoose): GnuTLS's NORMAL ciphers with
// AES-128-GCM moved first. Its suites' PRF and transcript hash are SHA-256, which processors with
// the SHA extensions compute in hardware, where AES-256-GCM's SHA-384 runs in software; every peer
// offers it (TLS_AES_128_GCM_SHA256 is TLS 1.3's mandatory suite, RFC 8446 §9.1), and both suites
// stand in NIST SP 800-52r2's list. The key exchanges keep NORMAL's order, forward secrecy first.
constexpr const char* kServerCiphers =
    ":-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-256-CCM:+AES-256-CBC:+AES-128-CCM"
    ":+AES-128-CBC:%SERVER_PRECEDENCE";

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

gnutls_priority_t SharedPriority(std::uint16_t tlsMin, std::uint16_t tlsMax, SuiteChoice choice, int* rc) {
  const std::string priority = VersionPriority(tlsMin, tlsMax) + (choice == SuiteChoice::kServer ? kServerCiphers : "");
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

namespace {
constexpr unsigned kSupportedVersions = 43;  // RFC 8446 §4.2
constexpr unsigned kKeyShare = 51;
constexpr unsigned kX25519 = 0x001d;  // RFC 8446 §4.2.7

struct HelloOffers {
  bool tls13 = false;
  bool x25519Share = false;
};

unsigned ReadU16(const unsigned char* at) { return (static_cast<unsigned>(at[0]) << 8) | at[1]; }

// One extension of the ClientHello; a malformed one only leaves its offer unseen (GnuTLS refuses
// the ClientHello itself a moment later).
int ReadOffer(void* context, unsigned id, const unsigned char* data, unsigned size) {
  auto* offers = static_cast<HelloOffers*>(context);
  if (id == kSupportedVersions && size >= 1) {
    const unsigned end = std::min(size, 1 + static_cast<unsigned>(data[0]));
    for (unsigned at = 1; at + 2 <= end; at += 2) {
      if (ReadU16(data + at) == kTls13) offers->tls13 = true;
    }
  } else if (id == kKeyShare && size >= 2) {
    const unsigned end = std::min(size, 2 + ReadU16(data));
    for (unsigned at = 2; at + 4 <= end;) {
      const unsigned group = ReadU16(data + at);
      const unsigned shareLength = ReadU16(data + at + 2);
      if (group == kX25519) offers->x25519Share = true;
      at += 4 + shareLength;
    }
  }
  return 0;
}
}  // namespace

bool ServerMayChoose(const unsigned char* clientHello, std::size_t size, bool tls13Allowed) {
  if (size > UINT32_MAX) return false;
  HelloOffers offers;
  const gnutls_datum_t hello{const_cast<unsigned char*>(clientHello), static_cast<unsigned int>(size)};
  if (gnutls_ext_raw_parse(&offers, &ReadOffer, &hello, GNUTLS_EXT_RAW_FLAG_TLS_CLIENT_HELLO) < 0) return false;
  if (!offers.tls13 || !tls13Allowed) return true;
  return offers.x25519Share;
}

}  // namespace tls
}  // namespace eaphost
