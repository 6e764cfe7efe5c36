// MD5 from the operating system's crypto library (nettle on POSIX, CNG on Windows), never
// hand-written. Used only as RFC 1994 CHAP requires it; MD5 is no longer a safe general hash.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../common/byte_span.h"

namespace eaphost {

constexpr std::size_t kMd5DigestSize = 16;

// MD5 over the concatenation of `parts` (zero-length parts are allowed). False only when the
// platform library fails, which callers report as an internal error.
bool Md5Digest(const ByteSpan* parts, std::size_t count, std::uint8_t out[kMd5DigestSize]);

// The CHAP response value (RFC 1994 §4.1; RFC 3748 §5.4): MD5(Identifier || secret ||
// challenge). Peer and authenticator both compute it, so it lives beside the hash.
inline bool ChapMd5Response(std::uint8_t identifier, ByteSpan secret, ByteSpan challenge,
                            std::uint8_t out[kMd5DigestSize]) {
  const ByteSpan parts[3] = {ByteSpan{&identifier, 1}, secret, challenge};
  return Md5Digest(parts, 3, out);
}

}  // namespace eaphost
