#include "digest.h"

#include "../../abi/eap_platform.h"  // windows.h first, then bcrypt.h
#include <bcrypt.h>

#include <climits>
#include <cstring>

#include "../secure_zero.h"

namespace eaphost {

namespace {
bool Succeeded(NTSTATUS status) { return status >= 0; }

// CNG's algorithm pseudo-handles (Windows 10 and later; Microsoft's "CNG Algorithm
// Pseudo-handles" page gives these values, which MSVC's bcrypt.h names BCRYPT_*_ALG_HANDLE and
// mingw-w64's does not define). Each stands for an algorithm provider the system keeps open: no
// BCryptOpenAlgorithmProvider per operation, which its page calls relatively time-intensive, and
// nothing to close or leak when EAPHost unloads the module that used one. The ciphers' chaining
// mode comes with the handle chosen (DES-ECB, triple-DES-CBC), none being set on it.
constexpr ULONG_PTR kMd4Handle = 0x11;
constexpr ULONG_PTR kMd5Handle = 0x21;
constexpr ULONG_PTR kSha1Handle = 0x31;
constexpr ULONG_PTR kSha256Handle = 0x41;
constexpr ULONG_PTR kSha384Handle = 0x51;
constexpr ULONG_PTR kHmacMd5Handle = 0x91;
constexpr ULONG_PTR kHmacSha1Handle = 0xA1;
constexpr ULONG_PTR kHmacSha256Handle = 0xB1;
constexpr ULONG_PTR kHmacSha384Handle = 0xC1;
constexpr ULONG_PTR kTripleDesCbcHandle = 0x141;
constexpr ULONG_PTR kDesEcbHandle = 0x201;

BCRYPT_ALG_HANDLE Pseudo(ULONG_PTR value) { return reinterpret_cast<BCRYPT_ALG_HANDLE>(value); }

BCRYPT_ALG_HANDLE DigestHandle(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kMd4: return Pseudo(kMd4Handle);
    case DigestAlgorithm::kMd5: return Pseudo(kMd5Handle);
    case DigestAlgorithm::kSha1: return Pseudo(kSha1Handle);
    case DigestAlgorithm::kSha256: return Pseudo(kSha256Handle);
    case DigestAlgorithm::kSha384: return Pseudo(kSha384Handle);
  }
  return nullptr;
}

// HMAC over MD4 is nothing the methods use; it stays unoffered, as on nettle.
BCRYPT_ALG_HANDLE HmacHandle(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kMd4: return nullptr;
    case DigestAlgorithm::kMd5: return Pseudo(kHmacMd5Handle);
    case DigestAlgorithm::kSha1: return Pseudo(kHmacSha1Handle);
    case DigestAlgorithm::kSha256: return Pseudo(kHmacSha256Handle);
    case DigestAlgorithm::kSha384: return Pseudo(kHmacSha384Handle);
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
  BCRYPT_ALG_HANDLE provider = DigestHandle(algorithm);
  if (provider == nullptr) return false;
  BCRYPT_HASH_HANDLE hash = nullptr;
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  bool ok = Succeeded(BCryptCreateHash(provider, &hash, nullptr, 0, nullptr, 0, 0)) &&
            HashAndFinish(hash, algorithm, parts, count, out);
  if (hash != nullptr) BCryptDestroyHash(hash);
  return ok;
}
}  // namespace

bool Digest(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
            std::uint8_t* out) {
  return Hash(algorithm, parts, count, out);
}

namespace {
// The keyed hash object, made once; each message is hashed in a duplicate of it, taken under the
// lock (CNG does not promise a hash object to concurrent callers).
struct CngKey {
  BCRYPT_HASH_HANDLE hash;
  SRWLOCK lock;
};
static_assert(sizeof(CngKey) <= HmacKey::kStateSize, "HmacKey::kStateSize holds CNG's handles");

CngKey* KeyIn(unsigned char* state) { return reinterpret_cast<CngKey*>(state); }
}  // namespace

HmacKey::HmacKey(DigestAlgorithm algorithm, ByteSpan key) : algorithm_(algorithm) {
  CngKey* made = KeyIn(state_);
  made->hash = nullptr;
  InitializeSRWLock(&made->lock);
  BCRYPT_ALG_HANDLE provider = HmacHandle(algorithm);
  if (provider == nullptr || key.size > ULONG_MAX) return;
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  if (!Succeeded(BCryptCreateHash(provider, &made->hash, nullptr, 0, const_cast<PUCHAR>(key.data),
                                  static_cast<ULONG>(key.size), 0))) {
    made->hash = nullptr;
    return;
  }
  ready_ = true;
}

HmacKey::~HmacKey() {
  CngKey* made = KeyIn(state_);
  if (made->hash != nullptr) BCryptDestroyHash(made->hash);
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
// One block under `key` (keyLength bytes) by `algorithm`, a pseudo-handle whose chaining mode is
// ECB (`cbc` false: no IV given, as BCryptEncrypt's page allows) or CBC with a zero IV: for a
// single block, CBC with a zero IV is ECB.
bool EncryptOneBlock(BCRYPT_ALG_HANDLE algorithm, bool cbc, const std::uint8_t* key, ULONG keyLength,
                     const std::uint8_t clear[kDesBlockSize], std::uint8_t cipher[kDesBlockSize]) {
  BCRYPT_KEY_HANDLE handle = nullptr;
  bool ok = Succeeded(
      BCryptGenerateSymmetricKey(algorithm, &handle, nullptr, 0, const_cast<PUCHAR>(key), keyLength, 0));
  UCHAR iv[kDesBlockSize] = {};
  ULONG written = 0;
  if (ok) {
    ok = Succeeded(BCryptEncrypt(handle, const_cast<PUCHAR>(clear), kDesBlockSize, nullptr, cbc ? iv : nullptr,
                                 cbc ? static_cast<ULONG>(sizeof(iv)) : 0, cipher, kDesBlockSize, &written, 0)) &&
         written == kDesBlockSize;
  }
  if (handle != nullptr) BCryptDestroyKey(handle);
  return ok;
}
}  // namespace

bool DesEncryptBlock(const std::uint8_t key[8], const std::uint8_t clear[kDesBlockSize],
                     std::uint8_t cipher[kDesBlockSize]) {
  if (EncryptOneBlock(Pseudo(kDesEcbHandle), false, key, 8, clear, cipher)) return true;
  // Some CNG implementations (Wine's among them) offer no single DES: triple DES with the same
  // key three times (encrypt-decrypt-encrypt) is single DES, and CBC over one block with a zero
  // IV is ECB.
  std::uint8_t tripleKey[24];
  for (int i = 0; i < 3; ++i) std::memcpy(tripleKey + 8 * i, key, 8);
  bool ok = EncryptOneBlock(Pseudo(kTripleDesCbcHandle), true, tripleKey, 24, clear, cipher);
  SecureZero(tripleKey, sizeof(tripleKey));
  return ok;
}

}  // namespace eaphost
