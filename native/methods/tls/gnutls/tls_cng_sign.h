// One RSA signature by CNG for GnuTLS (Windows only): PKCS#1 v1.5 with the hash named to CNG,
// or RSA-PSS with TLS's salt (the hash's length), through NCryptSignHash (a store key,
// tls_store_key_win32.cc) or BCryptSignHash (a key from a file, tls_rsa_signer_win32.cc). Both
// take the same arguments in the same order; the caller passes a call to the one it has.
#pragma once

#include "../../../abi/eap_platform.h"  // windows.h first, lean
#include <bcrypt.h>

#include "gnutls_headers.h"

#include "tls_gnutls_library.h"
#include "tls_rsa_schemes.h"
#include "tls_store_rules.h"

namespace eaphost {
namespace tls {

inline StoreHash StoreHashOf(gnutls_digest_algorithm_t digest) {
  switch (digest) {
    case GNUTLS_DIG_SHA1: return StoreHash::kSha1;
    case GNUTLS_DIG_SHA256: return StoreHash::kSha256;
    case GNUTLS_DIG_SHA384: return StoreHash::kSha384;
    case GNUTLS_DIG_SHA512: return StoreHash::kSha512;
    default: return StoreHash::kUnknown;
  }
}

// CNG's name of the hash; NULL for MD5 || SHA-1, which BCRYPT_PKCS1_PADDING_INFO signs unnamed.
inline const wchar_t* CngHash(StoreHash hash) {
  switch (hash) {
    case StoreHash::kSha1: return BCRYPT_SHA1_ALGORITHM;
    case StoreHash::kSha256: return BCRYPT_SHA256_ALGORITHM;
    case StoreHash::kSha384: return BCRYPT_SHA384_ALGORITHM;
    case StoreHash::kSha512: return BCRYPT_SHA512_ALGORITHM;
    default: return nullptr;
  }
}

// What a CNG key signs of the schemes GnuTLS asks about: PKCS#1 v1.5 over SHA-1 and SHA-2 (CNG
// names no SHA-224) and over a DigestInfo or MD5 || SHA-1 handed over unnamed; RSA-PSS over
// SHA-2 where `pss` (a provider may not make TLS's PSS: tls_store_rules.h).
inline bool CngSigns(const RsaScheme& scheme, bool pss) {
  if (!scheme.known) return false;
  if (scheme.digest == GNUTLS_DIG_UNKNOWN) return !scheme.pss;
  return CngHash(StoreHashOf(scheme.digest)) != nullptr && (!scheme.pss || pss);
}

// Signs `hash` (the scheme's digest, or for PKCS#1 unnamed a DigestInfo or MD5 || SHA-1, whose
// bare hash CNG is handed with its name) into `signature`, allocated as GnuTLS frees it.
// `call(padding, input, inputSize, output, outputSize, &written, flags)` is the CNG call,
// returning 0 on success; `extraFlags` joins BCRYPT_PAD_*; `*failure` gets a failing call's status.
template <typename Call>
int CngSignHash(const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature, ULONG extraFlags,
                Call call, LONG* failure) {
  const Pkcs1Input input = Pkcs1InputOf(StoreHashOf(scheme.digest), hash->data, hash->size);
  if (input.hash == StoreHash::kUnknown) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  BCRYPT_PKCS1_PADDING_INFO pkcs1{CngHash(input.hash)};
  BCRYPT_PSS_PADDING_INFO pss{CngHash(input.hash), static_cast<ULONG>(input.size)};  // salt: the hash's length (TLS)
  void* padding = scheme.pss ? static_cast<void*>(&pss) : static_cast<void*>(&pkcs1);
  const ULONG flags = (scheme.pss ? BCRYPT_PAD_PSS : BCRYPT_PAD_PKCS1) | extraFlags;
  BYTE* data = hash->data + input.offset;
  const ULONG size = static_cast<ULONG>(input.size);
  ULONG needed = 0;
  LONG status = call(padding, data, size, nullptr, 0, &needed, flags);
  if (status != 0 || needed == 0 || needed > 2048) {
    *failure = status;
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  auto* out = static_cast<unsigned char*>(TlsLibraryAllocate(needed));
  if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
  status = call(padding, data, size, out, needed, &needed, flags);
  if (status != 0) {
    *failure = status;
    TlsLibraryFree(out);
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  signature->data = out;
  signature->size = needed;
  return 0;
}

}  // namespace tls
}  // namespace eaphost
