// MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) for RADIUS's own integrity checks and hiding (RFC 2865
// §3, RFC 3579 §3.2, RFC 2548 §2.4.2), from the platform's crypto as the methods' digests are
// (native/common/crypto/digest.h: nettle on POSIX, CNG on Windows), never hand-written. A
// platform failure fails closed: the output is then unpredictable bytes, which no peer's
// authenticator matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "../../common/crypto/digest.h"

namespace eaphost::radius {

constexpr size_t kMd5Length = 16;

// MD5 and HMAC-MD5 computations made in this process so far (each Final and each Sign): a test
// holds RADIUS/1.1 (RFC 9765), which computes none, to it.
uint64_t Md5Computations();

// The MD5 of what Update was given, taken at Final. It keeps where each part is, not a copy:
// every part stays valid, unchanged, until Final (every use hashes what its own scope holds),
// and no copy of a secret is made to be wiped. Past kMostParts parts, Final fails closed.
class Md5 {
 public:
  static constexpr size_t kMostParts = 8;
  Md5& Update(const uint8_t* data, size_t size);
  void Final(uint8_t out[kMd5Length]);

 private:
  struct Piece {
    const uint8_t* data = nullptr;
    size_t size = 0;
  };
  Piece parts_[kMostParts] = {};
  size_t count_ = 0;
  bool overflow_ = false;
};

// HMAC-MD5 under one key (a NAS's shared secret), its pads hashed once (HmacKey), kept until it
// goes and wiped then.
class HmacMd5 {
 public:
  explicit HmacMd5(const std::vector<uint8_t>& key);
  HmacMd5(const HmacMd5&) = delete;
  HmacMd5& operator=(const HmacMd5&) = delete;
  struct Part {
    const uint8_t* data;
    size_t size;
  };
  // The HMAC of the parts joined, without joining them: a packet checked with one field
  // taken as zeros is signed as before, the zeros, after.
  void Sign(std::initializer_list<Part> parts, uint8_t out[kMd5Length]) const;
  void Sign(const uint8_t* data, size_t size, uint8_t out[kMd5Length]) const { Sign({{data, size}}, out); }

 private:
  HmacKey key_;
};

}  // namespace eaphost::radius
