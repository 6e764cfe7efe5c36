#include "radius_md5.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "../../common/crypto/digest.h"
#include "../../common/crypto/random.h"

namespace eaphost::radius {

namespace {

// The platform library failed: bytes no peer can predict, so nothing checked against them
// passes and nothing signed with them is believed.
void FailClosed(uint8_t out[kMd5Length]) {
  if (!FillRandom(out, kMd5Length)) std::memset(out, 0xA5, kMd5Length);
}

std::atomic<uint64_t> computations{0};

}  // namespace

uint64_t Md5Computations() { return computations.load(std::memory_order_relaxed); }

Md5& Md5::Update(const uint8_t* data, size_t size) {
  if (size == 0) return *this;
  if (count_ == kMostParts) {
    overflow_ = true;
  } else {
    parts_[count_++] = Piece{data, size};
  }
  return *this;
}

void Md5::Final(uint8_t out[kMd5Length]) {
  computations.fetch_add(1, std::memory_order_relaxed);
  ByteSpan spans[kMostParts];
  for (size_t i = 0; i < count_; ++i) spans[i] = ByteSpan{parts_[i].data, parts_[i].size};
  if (overflow_ || !Digest(DigestAlgorithm::kMd5, spans, count_, out)) FailClosed(out);
  count_ = 0;
  overflow_ = false;
}

HmacMd5::HmacMd5(const std::vector<uint8_t>& key) : key_(DigestAlgorithm::kMd5, ByteSpan{key.data(), key.size()}) {}

void HmacMd5::Sign(std::initializer_list<Part> parts, uint8_t out[kMd5Length]) const {
  computations.fetch_add(1, std::memory_order_relaxed);
  // A packet is signed in a few pieces (header, authenticator, before, the zeroed field, after).
  constexpr size_t kMostParts = 8;
  ByteSpan spans[kMostParts];
  if (parts.size() > kMostParts) return FailClosed(out);
  size_t count = 0;
  for (const Part& part : parts) spans[count++] = ByteSpan{part.data, part.size};
  if (!key_.Sign(spans, count, out)) FailClosed(out);
}

}  // namespace eaphost::radius
