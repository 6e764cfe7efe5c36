#include "md5.h"

#include "../../abi/eap_platform.h"  // windows.h first, then bcrypt.h
#include <bcrypt.h>

#include <climits>

namespace eaphost {

namespace {
bool Succeeded(NTSTATUS status) { return status >= 0; }
}  // namespace

bool Md5Digest(const ByteSpan* parts, std::size_t count, std::uint8_t out[kMd5DigestSize]) {
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  if (!Succeeded(BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_MD5_ALGORITHM, nullptr, 0))) {
    return false;
  }
  BCRYPT_HASH_HANDLE hash = nullptr;
  // A null hash-object buffer lets CNG manage the object memory itself (Windows 7 and later).
  bool ok = Succeeded(BCryptCreateHash(algorithm, &hash, nullptr, 0, nullptr, 0, 0));
  for (std::size_t i = 0; ok && i < count; ++i) {
    if (parts[i].size == 0) continue;
    if (parts[i].size > ULONG_MAX) {
      ok = false;
      break;
    }
    ok = Succeeded(BCryptHashData(hash, const_cast<PUCHAR>(parts[i].data),
                                  static_cast<ULONG>(parts[i].size), 0));
  }
  if (ok) ok = Succeeded(BCryptFinishHash(hash, out, static_cast<ULONG>(kMd5DigestSize), 0));
  if (hash != nullptr) BCryptDestroyHash(hash);
  BCryptCloseAlgorithmProvider(algorithm, 0);
  return ok;
}

}  // namespace eaphost
