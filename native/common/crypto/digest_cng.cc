#include "digest.h"

#include "../../abi/eap_platform.h"  // windows.h first, then bcrypt.h
#include <bcrypt.h>

#include <climits>
#include <cstring>

#include "../secure_zero.h"

namespace eaphost {

namespace {
bool Succeeded(NTSTATUS status) { return status >= 0; }

LPCWSTR AlgorithmId(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kMd4: return BCRYPT_MD4_ALGORITHM;
    case DigestAlgorithm::kMd5: return BCRYPT_MD5_ALGORITHM;
    case DigestAlgorithm::kSha1: return BCRYPT_SHA1_ALGORITHM;
    case DigestAlgorithm::kSha256: return BCRYPT_SHA256_ALGORITHM;
    case DigestAlgorithm::kSha384: return BCRYPT_SHA384_ALGORITHM;
  }
  return nullptr;
}

// `parts` hashed into `hash`, then its value into `out` (DigestSize bytes).
bool HashAndFinish(BCRYPT_HASH_HANDLE hash, DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
                   std::uint8_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    if (parts[i].size == 0) continue;
    if (parts[i].size > ULONG_MAX) return false;
    if (!Succeeded(BCryptHashData(hash, const_cast<PUCHAR>(parts[i].data), static_cast<ULONG>(parts[i].size), 0))) {
      return false;
    }
  }
  return Succeeded(BCryptFinishHash(hash, out, static_cast<ULONG>(DigestSize(algorithm)), 0));
}

// The digest of the concatenation of `parts`.
bool Hash(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count, std::uint8_t* out) {
  LPCWSTR id = AlgorithmId(algorithm);
  BCRYPT_ALG_HANDLE provider = nullptr;
  if (id == nullptr || !Succeeded(BCryptOpenAlgorithmProvider(&provider, id, nullptr, 0))) return false;
  BCRYPT_HASH_HANDLE hash = nullptr;
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  bool ok = Succeeded(BCryptCreateHash(provider, &hash, nullptr, 0, nullptr, 0, 0)) &&
            HashAndFinish(hash, algorithm, parts, count, out);
  if (hash != nullptr) BCryptDestroyHash(hash);
  BCryptCloseAlgorithmProvider(provider, 0);
  return ok;
}
}  // namespace

bool Digest(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
            std::uint8_t* out) {
  return Hash(algorithm, parts, count, out);
}

namespace {
// The keyed hash object, made once with its provider; each message is hashed in a duplicate of
// it, taken under the lock (CNG does not promise a hash object to concurrent callers).
struct CngKey {
  BCRYPT_ALG_HANDLE provider;
  BCRYPT_HASH_HANDLE hash;
  SRWLOCK lock;
};
static_assert(sizeof(CngKey) <= HmacKey::kStateSize, "HmacKey::kStateSize holds CNG's handles");

CngKey* KeyIn(unsigned char* state) { return reinterpret_cast<CngKey*>(state); }
}  // namespace

HmacKey::HmacKey(DigestAlgorithm algorithm, ByteSpan key) : algorithm_(algorithm) {
  CngKey* made = KeyIn(state_);
  made->provider = nullptr;
  made->hash = nullptr;
  InitializeSRWLock(&made->lock);
  LPCWSTR id = AlgorithmId(algorithm);
  if (algorithm == DigestAlgorithm::kMd4 || id == nullptr || key.size > ULONG_MAX) return;
  if (!Succeeded(BCryptOpenAlgorithmProvider(&made->provider, id, nullptr, BCRYPT_ALG_HANDLE_HMAC_FLAG))) {
    made->provider = nullptr;
    return;
  }
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  if (!Succeeded(BCryptCreateHash(made->provider, &made->hash, nullptr, 0, const_cast<PUCHAR>(key.data),
                                  static_cast<ULONG>(key.size), 0))) {
    made->hash = nullptr;
    return;
  }
  ready_ = true;
}

HmacKey::~HmacKey() {
  CngKey* made = KeyIn(state_);
  if (made->hash != nullptr) BCryptDestroyHash(made->hash);
  if (made->provider != nullptr) BCryptCloseAlgorithmProvider(made->provider, 0);
  SecureZero(state_, sizeof(state_));
}

bool HmacKey::Sign(const ByteSpan* parts, std::size_t count, std::uint8_t* out) const {
  if (!ready_) return false;
  CngKey* made = KeyIn(const_cast<unsigned char*>(state_));
  BCRYPT_HASH_HANDLE message = nullptr;
  AcquireSRWLockExclusive(&made->lock);
  bool ok = Succeeded(BCryptDuplicateHash(made->hash, &message, nullptr, 0, 0));
  ReleaseSRWLockExclusive(&made->lock);
  if (!ok) return false;
  ok = HashAndFinish(message, algorithm_, parts, count, out);
  BCryptDestroyHash(message);
  return ok;
}

bool Hmac(DigestAlgorithm algorithm, ByteSpan key, const ByteSpan* parts, std::size_t count,
          std::uint8_t* out) {
  return HmacKey(algorithm, key).Sign(parts, count, out);
}

namespace {
// One block under `key` (keyLength bytes) with the given chaining mode and, for CBC, a zero IV:
// for a single block, CBC with a zero IV is ECB.
bool EncryptOneBlock(LPCWSTR algorithm, const wchar_t* mode, std::size_t modeSize,
                     const std::uint8_t* key, ULONG keyLength,
                     const std::uint8_t clear[kDesBlockSize], std::uint8_t cipher[kDesBlockSize]) {
  BCRYPT_ALG_HANDLE provider = nullptr;
  if (!Succeeded(BCryptOpenAlgorithmProvider(&provider, algorithm, nullptr, 0))) return false;
  bool ok = Succeeded(BCryptSetProperty(provider, BCRYPT_CHAINING_MODE,
                                        reinterpret_cast<PUCHAR>(const_cast<wchar_t*>(mode)),
                                        static_cast<ULONG>(modeSize), 0));
  BCRYPT_KEY_HANDLE handle = nullptr;
  if (ok) {
    ok = Succeeded(BCryptGenerateSymmetricKey(provider, &handle, nullptr, 0,
                                              const_cast<PUCHAR>(key), keyLength, 0));
  }
  UCHAR iv[kDesBlockSize] = {};
  ULONG written = 0;
  if (ok) {
    ok = Succeeded(BCryptEncrypt(handle, const_cast<PUCHAR>(clear), kDesBlockSize, nullptr, iv,
                                 sizeof(iv), cipher, kDesBlockSize, &written, 0)) &&
         written == kDesBlockSize;
  }
  if (handle != nullptr) BCryptDestroyKey(handle);
  BCryptCloseAlgorithmProvider(provider, 0);
  return ok;
}
}  // namespace

bool DesEncryptBlock(const std::uint8_t key[8], const std::uint8_t clear[kDesBlockSize],
                     std::uint8_t cipher[kDesBlockSize]) {
  static const wchar_t kEcb[] = BCRYPT_CHAIN_MODE_ECB;
  static const wchar_t kCbc[] = BCRYPT_CHAIN_MODE_CBC;
  if (EncryptOneBlock(BCRYPT_DES_ALGORITHM, kEcb, sizeof(kEcb), key, 8, clear, cipher)) {
    return true;
  }
  // Some CNG implementations (Wine's among them) offer no single DES: triple DES with the same
  // key three times (encrypt-decrypt-encrypt) is single DES, and CBC over one block with a zero
  // IV is ECB.
  std::uint8_t tripleKey[24];
  for (int i = 0; i < 3; ++i) std::memcpy(tripleKey + 8 * i, key, 8);
  bool ok = EncryptOneBlock(BCRYPT_3DES_ALGORITHM, kCbc, sizeof(kCbc), tripleKey, 24, clear,
                            cipher);
  SecureZero(tripleKey, sizeof(tripleKey));
  return ok;
}

}  // namespace eaphost
