// A SHA-256 digest over a sequence of parts, each prefixed with its length (8 octets, big
// endian), so that no two sequences hash alike by shifting bytes from one part to the next. It
// names a configuration without keeping a copy of it: the credentials cache keys on one, and
// the peer's kept sessions are filed under one per server.
#pragma once

#include "gnutls_headers.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace eaphost {
namespace tls {

using PartsDigestValue = std::array<std::uint8_t, 32>;

class PartsDigest {
 public:
  PartsDigest() {
    if (gnutls_hash_init(&hash_, GNUTLS_DIG_SHA256) < 0) hash_ = nullptr;
  }
  ~PartsDigest() {
    if (hash_ != nullptr) gnutls_hash_deinit(hash_, nullptr);
  }
  PartsDigest(const PartsDigest&) = delete;
  PartsDigest& operator=(const PartsDigest&) = delete;

  // False when GnuTLS has no SHA-256: then Add does nothing and Finish must not be called.
  bool ok() const { return hash_ != nullptr; }

  void Add(const void* data, std::size_t size) {
    if (hash_ == nullptr) return;
    std::uint8_t length[8];
    for (int i = 0; i < 8; ++i) {
      length[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(size) >> (56 - 8 * i));
    }
    gnutls_hash(hash_, length, sizeof(length));
    if (size != 0) gnutls_hash(hash_, data, size);
  }

  void Finish(PartsDigestValue* out) {
    gnutls_hash_deinit(hash_, out->data());
    hash_ = nullptr;
  }

 private:
  gnutls_hash_hd_t hash_ = nullptr;
};

}  // namespace tls
}  // namespace eaphost
