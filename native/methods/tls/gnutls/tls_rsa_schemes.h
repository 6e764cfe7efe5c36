// The signature schemes of an rsaEncryption key, as GnuTLS names them to an external key
// (gnutls_privkey_import_ext4): what the libcrypto signer (tls_rsa_signer.h) and the Windows
// store's key (tls_store_key.h) both sign.
#pragma once

#include "gnutls_headers.h"

namespace eaphost {
namespace tls {

struct RsaScheme {
  bool known = false;
  bool pss = false;
  gnutls_digest_algorithm_t digest = GNUTLS_DIG_UNKNOWN;  // none: a DigestInfo signed as given
};

// PKCS#1 v1.5 (TLS 1.2) and RSA-PSS "rsae" (TLS 1.3, and TLS 1.2 peers that prefer it). The
// RSA-PSS key type's own schemes are not an rsaEncryption key's.
inline RsaScheme RsaSchemeOf(gnutls_sign_algorithm_t algorithm) {
  switch (algorithm) {
    case GNUTLS_SIGN_RSA_RAW: return {true, false, GNUTLS_DIG_UNKNOWN};
    case GNUTLS_SIGN_RSA_SHA1: return {true, false, GNUTLS_DIG_SHA1};
    case GNUTLS_SIGN_RSA_SHA224: return {true, false, GNUTLS_DIG_SHA224};
    case GNUTLS_SIGN_RSA_SHA256: return {true, false, GNUTLS_DIG_SHA256};
    case GNUTLS_SIGN_RSA_SHA384: return {true, false, GNUTLS_DIG_SHA384};
    case GNUTLS_SIGN_RSA_SHA512: return {true, false, GNUTLS_DIG_SHA512};
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA256: return {true, true, GNUTLS_DIG_SHA256};
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA384: return {true, true, GNUTLS_DIG_SHA384};
    case GNUTLS_SIGN_RSA_PSS_RSAE_SHA512: return {true, true, GNUTLS_DIG_SHA512};
    default: return {};
  }
}

// What an RSA external key's info callback answers, `signs` saying which schemes it makes.
template <typename Signs>
inline int RsaKeyInfo(unsigned int flags, unsigned int bits, Signs signs) {
  if ((flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO) != 0) {
    const auto algorithm = static_cast<gnutls_sign_algorithm_t>(GNUTLS_FLAGS_TO_SIGN_ALGO(flags));
    return signs(RsaSchemeOf(algorithm)) ? 1 : 0;
  }
  if ((flags & GNUTLS_PRIVKEY_INFO_PK_ALGO) != 0) return GNUTLS_PK_RSA;
  if ((flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS) != 0) return static_cast<int>(bits);
  if ((flags & GNUTLS_PRIVKEY_INFO_SIGN_ALGO) != 0) return 0;  // no preference: GnuTLS chooses
  return -2;  // what GnuTLS asks of a callback that does not know
}

// Signing whole data, as GnuTLS asks for some schemes: hashed here, then signed by `signHash`
// (the key's sign_hash callback) as a hash.
inline int SignDataAsHash(gnutls_privkey_t privkey, gnutls_sign_algorithm_t algorithm, void* userdata,
                          unsigned int flags, const gnutls_datum_t* data, gnutls_datum_t* signature,
                          gnutls_privkey_sign_hash_func signHash) {
  const RsaScheme scheme = RsaSchemeOf(algorithm);
  if (!scheme.known || scheme.digest == GNUTLS_DIG_UNKNOWN || data == nullptr) {
    return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  }
  unsigned char digest[64];
  const unsigned int length = gnutls_hash_get_len(scheme.digest);
  if (length == 0 || length > sizeof(digest)) return GNUTLS_E_INVALID_REQUEST;
  if (gnutls_hash_fast(scheme.digest, data->data, data->size, digest) < 0) return GNUTLS_E_HASH_FAILED;
  const gnutls_datum_t hash{digest, length};
  return signHash(privkey, algorithm, userdata, flags, &hash, signature);
}

}  // namespace tls
}  // namespace eaphost
