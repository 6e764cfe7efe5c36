#include "radius_md5.h"

#include <algorithm>
#include <cstring>

#include "../common/secure_zero.h"

namespace eaphost::radius {

namespace {

// The sines of RFC 1321 §3.4 and the per-round shift amounts.
constexpr uint32_t kSines[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
constexpr unsigned kShifts[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

uint32_t RotateLeft(uint32_t value, unsigned bits) { return (value << bits) | (value >> (32 - bits)); }

}  // namespace

Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

void Md5::Compress(const uint8_t* block) {
  uint32_t words[16];
  for (int i = 0; i < 16; ++i) {
    const uint8_t* p = block + 4 * i;
    words[i] = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
               (static_cast<uint32_t>(p[3]) << 24);
  }
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (unsigned i = 0; i < 64; ++i) {
    uint32_t f;
    unsigned g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    uint32_t sum = a + f + kSines[i] + words[g];
    a = d;
    d = c;
    c = b;
    b = b + RotateLeft(sum, kShifts[((i >> 4) << 2) | (i & 3)]);
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

Md5& Md5::Update(const uint8_t* data, size_t size) {
  length_ += size;
  while (size > 0) {
    size_t take = std::min(size, sizeof(buffer_) - used_);
    std::memcpy(buffer_ + used_, data, take);
    used_ += take;
    data += take;
    size -= take;
    if (used_ == sizeof(buffer_)) {
      Compress(buffer_);
      used_ = 0;
    }
  }
  return *this;
}

void Md5::Final(uint8_t out[kMd5Length]) {
  uint64_t bits = length_ * 8;
  static const uint8_t kPadding[64] = {0x80};
  Update(kPadding, used_ < 56 ? 56 - used_ : 120 - used_);
  uint8_t tail[8];
  for (int i = 0; i < 8; ++i) tail[i] = static_cast<uint8_t>(bits >> (8 * i));
  Update(tail, 8);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(state_[i] >> (8 * j));
  }
}

HmacMd5::HmacMd5(const std::vector<uint8_t>& key) {
  uint8_t block[64] = {};
  if (key.size() > sizeof(block)) {
    Md5().Update(key.data(), key.size()).Final(block);
  } else if (!key.empty()) {
    std::memcpy(block, key.data(), key.size());
  }
  uint8_t pad[64];
  for (size_t i = 0; i < sizeof(pad); ++i) pad[i] = static_cast<uint8_t>(block[i] ^ 0x36);
  inner_.Update(pad, sizeof(pad));
  for (size_t i = 0; i < sizeof(pad); ++i) pad[i] = static_cast<uint8_t>(block[i] ^ 0x5c);
  outer_.Update(pad, sizeof(pad));
  SecureZero(block, sizeof(block));  // the secret, padded
  SecureZero(pad, sizeof(pad));
}

// The padded key's states are as good as the secret.
HmacMd5::~HmacMd5() {
  SecureZero(&inner_, sizeof(inner_));
  SecureZero(&outer_, sizeof(outer_));
}

void HmacMd5::Sign(std::initializer_list<Part> parts, uint8_t out[kMd5Length]) const {
  uint8_t inner[kMd5Length];
  Md5 hash = inner_;
  for (const Part& part : parts) hash.Update(part.data, part.size);
  hash.Final(inner);
  hash = outer_;
  hash.Update(inner, sizeof(inner)).Final(out);
}

}  // namespace eaphost::radius
