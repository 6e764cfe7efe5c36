// MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) for RADIUS's own integrity checks and hiding (RFC 2865
// §3, RFC 3579 §3.2, RFC 2548 §2.4.2): a few blocks a packet, on the lane thread. HMAC's padded
// key blocks are hashed once per shared secret, not per packet. Nothing here branches on data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace eaphost::radius {

constexpr size_t kMd5Length = 16;

class Md5 {
 public:
  Md5();
  Md5& Update(const uint8_t* data, size_t size);
  void Final(uint8_t out[kMd5Length]);

 private:
  void Compress(const uint8_t* block);
  uint32_t state_[4];
  uint64_t length_ = 0;
  uint8_t buffer_[64] = {};
  size_t used_ = 0;
};

// HMAC-MD5 under one key, its inner and outer states ready.
class HmacMd5 {
 public:
  explicit HmacMd5(const std::vector<uint8_t>& key);
  ~HmacMd5();
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
  Md5 inner_;
  Md5 outer_;
};

}  // namespace eaphost::radius
