#include "tls_rsa_signer.h"

#include "gnutls_headers.h"

#include <memory>
#include <utility>
#include <vector>

#include "../../../common/secure_zero.h"
#include "tls_gnutls_library.h"
#include "tls_rsa_schemes.h"
#include "tls_rsa_signer_os.h"

// The GnuTLS side of the RSA signer, the same on every OS: the external key GnuTLS is handed,
// whose signatures run where tls_rsa_signer_os.h says, the decryption GnuTLS keeps, and the chain.

namespace eaphost {
namespace tls {

namespace {

// One key: the OS's copy for signing, GnuTLS's for the one decryption a server key is asked for
// (below). Shared by every session of the credentials, from any thread: neither is modified
// after it is made.
struct SignerKey {
  std::unique_ptr<RsaSignature> os;
  gnutls_privkey_t gnutls = nullptr;
  unsigned int bits = 0;

  SignerKey() = default;
  SignerKey(const SignerKey&) = delete;
  SignerKey& operator=(const SignerKey&) = delete;
  ~SignerKey() {
    if (gnutls != nullptr) gnutls_privkey_deinit(gnutls);
  }
};

int SignHash(gnutls_privkey_t, gnutls_sign_algorithm_t algorithm, void* userdata, unsigned int flags,
             const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  SignerKey& key = *static_cast<SignerKey*>(userdata);
  RsaScheme scheme = RsaSchemeOf(algorithm);
  // TLS 1.0 / 1.1's MD5+SHA-1 pair arrives flagged rather than named; signed as given.
  if (!scheme.known && (flags & GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA) != 0) scheme = {true, false, GNUTLS_DIG_UNKNOWN};
  if (!scheme.known || !key.os->Signs(scheme) || hash == nullptr || signature == nullptr) {
    return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  }
  if (scheme.digest != GNUTLS_DIG_UNKNOWN && hash->size != gnutls_hash_get_len(scheme.digest))
    return GNUTLS_E_INVALID_REQUEST;
  const int rc = key.os->Sign(scheme, hash, signature);
  if (rc == 0 && signature->size > (key.bits + 7) / 8) {
    TlsLibraryFree(signature->data);
    *signature = {nullptr, 0};
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  return rc;
}

int SignData(gnutls_privkey_t privkey, gnutls_sign_algorithm_t algorithm, void* userdata, unsigned int flags,
             const gnutls_datum_t* data, gnutls_datum_t* signature) {
  return SignDataAsHash(privkey, algorithm, userdata, flags, data, signature, SignHash);
}

// The TLS 1.2 RSA key exchange's pre-master secret, the only decryption GnuTLS asks of a server
// key, is always 48 bytes. GnuTLS's own key decrypts it in constant time; a failure is turned
// into 48 random bytes without a branch, so the handshake fails later, at Finished, whatever the
// padding was (RFC 5246 7.4.7.1), and no timing tells a good padding from a bad one.
constexpr unsigned int kPreMasterSecretLength = 48;

int Decrypt(gnutls_privkey_t, void* userdata, const gnutls_datum_t* ciphertext, gnutls_datum_t* plaintext) {
  const SignerKey& key = *static_cast<const SignerKey*>(userdata);
  auto* out = static_cast<unsigned char*>(TlsLibraryAllocate(kPreMasterSecretLength));
  if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
  unsigned char substitute[kPreMasterSecretLength];
  if (gnutls_rnd(GNUTLS_RND_RANDOM, substitute, sizeof(substitute)) < 0) {
    TlsLibraryFree(out);
    return GNUTLS_E_RANDOM_FAILED;
  }
  const int rc = gnutls_privkey_decrypt_data2(key.gnutls, 0, ciphertext, out, kPreMasterSecretLength);
  // 0xff when rc < 0, else 0: the sign bit of rc, spread.
  const auto failed = static_cast<unsigned char>(0u - (static_cast<unsigned int>(rc) >> 31));
  for (unsigned int i = 0; i < kPreMasterSecretLength; ++i) {
    out[i] = static_cast<unsigned char>((out[i] & ~failed) | (substitute[i] & failed));
  }
  SecureZero(substitute, sizeof(substitute));
  plaintext->data = out;
  plaintext->size = kPreMasterSecretLength;
  return 0;
}

void Release(gnutls_privkey_t, void* userdata) { delete static_cast<SignerKey*>(userdata); }

int Info(gnutls_privkey_t, unsigned int flags, void* userdata) {
  const SignerKey& key = *static_cast<const SignerKey*>(userdata);
  return RsaKeyInfo(flags, key.bits, [&key](const RsaScheme& scheme) { return scheme.known && key.os->Signs(scheme); });
}

// A GnuTLS private key for `key` whose signatures run in the OS's copy: null with *rc == 0 when
// `key` is not RSA or the OS cannot take it, null with *rc < 0 when it cannot be made. `key`
// stays the caller's.
gnutls_privkey_t MakeRsaSignerKey(gnutls_x509_privkey_t key, int* rc) {
  *rc = 0;
  unsigned int bits = 0;
  if (!RsaSignerAvailable() || gnutls_x509_privkey_get_pk_algorithm2(key, &bits) != GNUTLS_PK_RSA) return nullptr;
  std::unique_ptr<SignerKey> made(new SignerKey);
  made->bits = bits;
  made->os = MakeRsaSignature(key, bits, rc);
  if (made->os == nullptr) return nullptr;
  // GnuTLS's own copy, for the decryption above.
  gnutls_x509_privkey_t copy = nullptr;
  gnutls_privkey_t external = nullptr;
  *rc = gnutls_x509_privkey_init(&copy);
  if (*rc >= 0) *rc = gnutls_x509_privkey_cpy(copy, key);
  if (*rc >= 0) *rc = gnutls_privkey_init(&made->gnutls);
  if (*rc >= 0) {
    *rc = gnutls_privkey_import_x509(made->gnutls, copy, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
    if (*rc >= 0) copy = nullptr;  // the privkey owns it now
  }
  if (copy != nullptr) gnutls_x509_privkey_deinit(copy);
  if (*rc >= 0) *rc = gnutls_privkey_init(&external);
  if (*rc >= 0) {
    // Once imported, GnuTLS owns the key and releases it with `external`; a refused import (its
    // checks come before it keeps anything) leaves it ours.
    *rc = gnutls_privkey_import_ext4(external, made.get(), SignData, SignHash, Decrypt, Release, Info, 0);
    if (*rc >= 0) made.release();
  }
  if (*rc < 0) {
    if (external != nullptr) gnutls_privkey_deinit(external);
    return nullptr;
  }
  return external;
}

// The chain GnuTLS loaded, as the pcerts gnutls_certificate_set_key takes.
int LoadedChain(gnutls_certificate_credentials_t loaded, std::vector<gnutls_pcert_st>* chain) {
  gnutls_x509_crt_t* crts = nullptr;
  unsigned int count = 0;
  int rc = gnutls_certificate_get_x509_crt(loaded, 0, &crts, &count);
  if (rc < 0) return rc;
  chain->resize(count);
  unsigned int imported = count;
  rc = gnutls_pcert_import_x509_list(chain->data(), crts, &imported, 0);
  if (rc >= 0 && imported != count) {
    for (unsigned int i = 0; i < imported; ++i) gnutls_pcert_deinit(&(*chain)[i]);
    rc = GNUTLS_E_CERTIFICATE_ERROR;
  }
  for (unsigned int i = 0; i < count; ++i) gnutls_x509_crt_deinit(crts[i]);
  TlsLibraryFree(crts);
  if (rc < 0) chain->clear();
  return rc;
}
}  // namespace

int SetKeyWithRsaSigner(gnutls_certificate_credentials_t target, gnutls_certificate_credentials_t loaded) {
  if (!RsaSignerAvailable()) return 0;
  gnutls_x509_privkey_t key = nullptr;
  int rc = gnutls_certificate_get_x509_key(loaded, 0, &key);
  if (rc < 0) return rc;
  gnutls_privkey_t external = MakeRsaSignerKey(key, &rc);
  gnutls_x509_privkey_deinit(key);
  if (external == nullptr) return rc;
  std::vector<gnutls_pcert_st> chain;
  rc = LoadedChain(loaded, &chain);
  // Checks that the key matches the certificate (a signature and its verification) and, on
  // success, takes over the key and the pcerts' contents.
  if (rc >= 0)
    rc = gnutls_certificate_set_key(target, nullptr, 0, chain.data(), static_cast<int>(chain.size()), external);
  if (rc < 0) {
    for (gnutls_pcert_st& pcert : chain) gnutls_pcert_deinit(&pcert);
    gnutls_privkey_deinit(external);
    return rc;
  }
  return 1;
}

}  // namespace tls
}  // namespace eaphost
