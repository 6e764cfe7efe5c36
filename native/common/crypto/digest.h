// Hashes, HMACs and the one block cipher the methods need, from the operating system's crypto
// library (nettle on POSIX, CNG on Windows), never hand-written and never from the TLS library:
// a method's own crypto (PEAP's cryptobinding, the fast-reconnect digest) stays the same
// whichever TLS backend runs the tunnel (tls/README.md). MD4, MD5 and DES survive here only
// because MS-CHAPv2 (RFC 2759), CHAP (RFC 1994) and RADIUS (RFC 2865, RFC 3579) are defined over
// them; the RADIUS engine (native/radius) takes its MD5 and HMAC-MD5 from here too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../byte_span.h"

namespace eaphost {

enum class DigestAlgorithm { kMd4, kMd5, kSha1, kSha256, kSha384 };

constexpr std::size_t kMd4DigestSize = 16;
constexpr std::size_t kMd5DigestSize = 16;
constexpr std::size_t kSha1DigestSize = 20;
constexpr std::size_t kSha256DigestSize = 32;
constexpr std::size_t kSha384DigestSize = 48;
constexpr std::size_t kDesBlockSize = 8;

constexpr std::size_t DigestSize(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha384   ? kSha384DigestSize
         : algorithm == DigestAlgorithm::kSha256 ? kSha256DigestSize
         : algorithm == DigestAlgorithm::kSha1 ? kSha1DigestSize
                                               : kMd5DigestSize;
}

// The digest of the concatenation of `parts` (zero-length parts are allowed) into `out`, which
// holds DigestSize(algorithm) bytes. False only when the platform library fails, which callers
// report as an internal error.
bool Digest(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
            std::uint8_t* out);

// HMAC (RFC 2104) under `key` of the concatenation of `parts` into `out` (DigestSize bytes):
// HMAC-SHA1 (MS-PEAP's PRF+ and cryptobinding), HMAC-SHA256 and HMAC-SHA384 (TEAP's TLS-PRF
// and Compound MAC follow the tunnel's cipher suite), HMAC-MD5 (RADIUS's Message-Authenticator,
// native/radius/wire/radius_md5.h) only; false for MD4 or when the platform library fails.
bool Hmac(DigestAlgorithm algorithm, ByteSpan key, const ByteSpan* parts, std::size_t count,
          std::uint8_t* out);

// HMAC under one key kept ready: the key's inner and outer pads are hashed once (RFC 2104 §4),
// not for every message. The RADIUS engine signs and checks every packet of a NAS under its
// shared secret (native/radius/wire/radius_md5.h); Hmac above is one of these made and dropped.
// Sign may run on several threads at once. The state, which the key has gone into, is wiped
// when the HmacKey goes.
class HmacKey {
 public:
  // Room for the platform's keyed state (nettle's largest HMAC context; CNG's handles).
  static constexpr std::size_t kStateSize = 704;
  HmacKey(DigestAlgorithm algorithm, ByteSpan key);
  ~HmacKey();
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;
  // The HMAC of the concatenation of `parts` into `out` (DigestSize bytes); false for MD4 or
  // when the platform library failed, here or when the key was made.
  bool Sign(const ByteSpan* parts, std::size_t count, std::uint8_t* out) const;

 private:
  DigestAlgorithm algorithm_;
  bool ready_ = false;
  alignas(16) unsigned char state_[kStateSize] = {};
};

// One DES-ECB block under an 8-byte key whose parity bits are ignored (RFC 2759 §8.6 builds
// such keys from 7 bytes of a password hash). Weak keys are encrypted like any other: 1 in
// 65,536 MS-CHAPv2 responses has an all-zero third key, and refusing it would fail a valid
// password.
bool DesEncryptBlock(const std::uint8_t key[8], const std::uint8_t clear[kDesBlockSize],
                     std::uint8_t cipher[kDesBlockSize]);

}  // namespace eaphost
