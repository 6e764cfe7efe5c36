// nettle rather than libcrypto: node exports its bundled OpenSSL's symbols, and a module
// linking the system libcrypto could have its references bound to node's copy instead.
#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "../secure_zero.h"
#include "digest.h"

namespace eaphost {

namespace {
// nettle's hashes and HMACs share one update/digest shape; the context is wiped because it has
// absorbed secrets (passwords, password hashes, HMAC keys).
template <typename Context, void (*Update)(Context*, std::size_t, const std::uint8_t*),
          void (*Final)(Context*, std::size_t, std::uint8_t*)>
void Absorb(Context* context, const ByteSpan* parts, std::size_t count, std::size_t size, std::uint8_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    if (parts[i].size != 0) Update(context, parts[i].size, parts[i].data);
  }
  Final(context, size, out);
  SecureZero(context, sizeof(*context));
}

template <typename Context, void (*Init)(Context*),
          void (*Update)(Context*, std::size_t, const std::uint8_t*),
          void (*Final)(Context*, std::size_t, std::uint8_t*)>
void Run(const ByteSpan* parts, std::size_t count, std::size_t size, std::uint8_t* out) {
  Context context;
  Init(&context);
  Absorb<Context, Update, Final>(&context, parts, count, size, out);
}
}  // namespace

bool Digest(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
            std::uint8_t* out) {
  switch (algorithm) {
    case DigestAlgorithm::kMd4:
      Run<md4_ctx, md4_init, md4_update, md4_digest>(parts, count, kMd4DigestSize, out);
      return true;
    case DigestAlgorithm::kMd5:
      Run<md5_ctx, md5_init, md5_update, md5_digest>(parts, count, kMd5DigestSize, out);
      return true;
    case DigestAlgorithm::kSha1:
      Run<sha1_ctx, sha1_init, sha1_update, sha1_digest>(parts, count, kSha1DigestSize, out);
      return true;
    case DigestAlgorithm::kSha256:
      Run<sha256_ctx, sha256_init, sha256_update, sha256_digest>(parts, count, kSha256DigestSize, out);
      return true;
    case DigestAlgorithm::kSha384:
      Run<sha384_ctx, sha384_init, sha384_update, sha384_digest>(parts, count, kSha384DigestSize, out);
      return true;
  }
  return false;
}

namespace {
// The key's state, made once (SetKey hashes the inner and outer pads), copied for each message:
// Sign may run on several threads at once.
template <typename Context, void (*SetKey)(Context*, std::size_t, const std::uint8_t*)>
void Key(unsigned char* state, ByteSpan key) {
  static_assert(sizeof(Context) <= HmacKey::kStateSize, "HmacKey::kStateSize holds nettle's HMAC contexts");
  SetKey(reinterpret_cast<Context*>(state), key.size, key.data);
}

template <typename Context, void (*Update)(Context*, std::size_t, const std::uint8_t*),
          void (*Final)(Context*, std::size_t, std::uint8_t*)>
void SignWith(const unsigned char* state, const ByteSpan* parts, std::size_t count, std::size_t size,
              std::uint8_t* out) {
  Context context = *reinterpret_cast<const Context*>(state);
  Absorb<Context, Update, Final>(&context, parts, count, size, out);
}
}  // namespace

HmacKey::HmacKey(DigestAlgorithm algorithm, ByteSpan key) : algorithm_(algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha1: Key<hmac_sha1_ctx, hmac_sha1_set_key>(state_, key); break;
    case DigestAlgorithm::kSha256: Key<hmac_sha256_ctx, hmac_sha256_set_key>(state_, key); break;
    case DigestAlgorithm::kSha384: Key<hmac_sha384_ctx, hmac_sha384_set_key>(state_, key); break;
    case DigestAlgorithm::kMd5: Key<hmac_md5_ctx, hmac_md5_set_key>(state_, key); break;
    case DigestAlgorithm::kMd4: return;
  }
  ready_ = true;
}

HmacKey::~HmacKey() { SecureZero(state_, sizeof(state_)); }

bool HmacKey::Sign(const ByteSpan* parts, std::size_t count, std::uint8_t* out) const {
  if (!ready_) return false;
  switch (algorithm_) {
    case DigestAlgorithm::kSha1:
      SignWith<hmac_sha1_ctx, hmac_sha1_update, hmac_sha1_digest>(state_, parts, count, kSha1DigestSize, out);
      return true;
    case DigestAlgorithm::kSha256:
      SignWith<hmac_sha256_ctx, hmac_sha256_update, hmac_sha256_digest>(state_, parts, count, kSha256DigestSize, out);
      return true;
    case DigestAlgorithm::kSha384:
      SignWith<hmac_sha384_ctx, hmac_sha384_update, hmac_sha384_digest>(state_, parts, count, kSha384DigestSize, out);
      return true;
    case DigestAlgorithm::kMd5:
      SignWith<hmac_md5_ctx, hmac_md5_update, hmac_md5_digest>(state_, parts, count, kMd5DigestSize, out);
      return true;
    case DigestAlgorithm::kMd4: return false;
  }
  return false;
}

bool Hmac(DigestAlgorithm algorithm, ByteSpan key, const ByteSpan* parts, std::size_t count,
          std::uint8_t* out) {
  return HmacKey(algorithm, key).Sign(parts, count, out);
}

bool DesEncryptBlock(const std::uint8_t key[8], const std::uint8_t clear[kDesBlockSize],
                     std::uint8_t cipher[kDesBlockSize]) {
  des_ctx context;
  // nettle ignores the parity bits and still schedules a weak key; its return value only
  // reports weakness, which MS-CHAPv2 must tolerate (see digest.h).
  (void)des_set_key(&context, key);
  des_encrypt(&context, kDesBlockSize, cipher, clear);
  SecureZero(&context, sizeof(context));
  return true;
}

}  // namespace eaphost
