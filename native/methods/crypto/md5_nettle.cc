// nettle rather than libcrypto: node exports its bundled OpenSSL's symbols, and a module
// linking the system libcrypto could have its references bound to node's copy instead.
#include <nettle/md5.h>

#include "../../common/secure_zero.h"
#include "md5.h"

namespace eaphost {

bool Md5Digest(const ByteSpan* parts, std::size_t count, std::uint8_t out[kMd5DigestSize]) {
  md5_ctx context;
  md5_init(&context);
  for (std::size_t i = 0; i < count; ++i) {
    if (parts[i].size != 0) md5_update(&context, parts[i].size, parts[i].data);
  }
  md5_digest(&context, kMd5DigestSize, out);
  // The context has absorbed the CHAP secret.
  SecureZero(&context, sizeof(context));
  return true;
}

}  // namespace eaphost
