#include "digest.h"

#include "../../abi/eap_platform.h"  // windows.h first, then bcrypt.h
#include <bcrypt.h>

#include <climits>

namespace eaphost {

namespace {
bool Succeeded(NTSTATUS status) { return status >= 0; }

LPCWSTR AlgorithmId(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kMd4: return BCRYPT_MD4_ALGORITHM;
    case DigestAlgorithm::kMd5: return BCRYPT_MD5_ALGORITHM;
    case DigestAlgorithm::kSha1: return BCRYPT_SHA1_ALGORITHM;
  }
  return nullptr;
}
}  // namespace

bool Digest(DigestAlgorithm algorithm, const ByteSpan* parts, std::size_t count,
            std::uint8_t* out) {
  LPCWSTR id = AlgorithmId(algorithm);
  BCRYPT_ALG_HANDLE provider = nullptr;
  if (id == nullptr || !Succeeded(BCryptOpenAlgorithmProvider(&provider, id, nullptr, 0))) {
    return false;
  }
  BCRYPT_HASH_HANDLE hash = nullptr;
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  bool ok = Succeeded(BCryptCreateHash(provider, &hash, nullptr, 0, nullptr, 0, 0));
  for (std::size_t i = 0; ok && i < count; ++i) {
    if (parts[i].size == 0) continue;
    if (parts[i].size > ULONG_MAX) {
      ok = false;
      break;
    }
    ok = Succeeded(BCryptHashData(hash, const_cast<PUCHAR>(parts[i].data),
                                  static_cast<ULONG>(parts[i].size), 0));
  }
  if (ok) {
    ok = Succeeded(BCryptFinishHash(hash, out, static_cast<ULONG>(DigestSize(algorithm)), 0));
  }
  if (hash != nullptr) BCryptDestroyHash(hash);
  BCryptCloseAlgorithmProvider(provider, 0);
  return ok;
}

bool DesEncryptBlock(const std::uint8_t key[8], const std::uint8_t clear[kDesBlockSize],
                     std::uint8_t cipher[kDesBlockSize]) {
  BCRYPT_ALG_HANDLE provider = nullptr;
  if (!Succeeded(BCryptOpenAlgorithmProvider(&provider, BCRYPT_DES_ALGORITHM, nullptr, 0))) {
    return false;
  }
  wchar_t ecb[] = BCRYPT_CHAIN_MODE_ECB;
  bool ok = Succeeded(BCryptSetProperty(provider, BCRYPT_CHAINING_MODE,
                                        reinterpret_cast<PUCHAR>(ecb), sizeof(ecb), 0));
  BCRYPT_KEY_HANDLE handle = nullptr;
  if (ok) {
    ok = Succeeded(BCryptGenerateSymmetricKey(provider, &handle, nullptr, 0,
                                              const_cast<PUCHAR>(key), 8, 0));
  }
  ULONG written = 0;
  if (ok) {
    ok = Succeeded(BCryptEncrypt(handle, const_cast<PUCHAR>(clear), kDesBlockSize, nullptr,
                                 nullptr, 0, cipher, kDesBlockSize, &written, 0)) &&
         written == kDesBlockSize;
  }
  if (handle != nullptr) BCryptDestroyKey(handle);
  BCryptCloseAlgorithmProvider(provider, 0);
  return ok;
}

}  // namespace eaphost
