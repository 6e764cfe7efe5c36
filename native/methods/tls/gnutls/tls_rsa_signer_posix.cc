#include "tls_rsa_signer.h"

#include <dlfcn.h>
#include "gnutls_headers.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../../../common/environment.h"
#include "../../../common/secure_zero.h"
#include "tls_rsa_schemes.h"

namespace eaphost {
namespace tls {

namespace {
// OpenSSL 3's ABI, declared here because the build has (and wants) no OpenSSL headers: opaque
// types, the functions used, and the constants they take (stable across 3.x).
struct EvpPkey;
struct EvpPkeyCtx;
struct EvpMd;
constexpr int kEvpPkeyRsa = 6;            // EVP_PKEY_RSA (NID_rsaEncryption)
constexpr int kRsaPkcs1Padding = 1;       // RSA_PKCS1_PADDING
constexpr int kRsaPssPadding = 6;         // RSA_PKCS1_PSS_PADDING
constexpr int kPssSaltIsDigestLength = -1;  // RSA_PSS_SALTLEN_DIGEST
constexpr std::uint64_t kInitNoLoadConfig = 0x00000080;  // OPENSSL_INIT_NO_LOAD_CONFIG
constexpr unsigned long kOpenssl3 = 0x30000000UL;

struct Libcrypto {
  unsigned long (*versionNumber)();
  int (*initCrypto)(std::uint64_t, const void*);
  EvpPkey* (*d2iPrivateKey)(int, EvpPkey**, const unsigned char**, long);
  void (*pkeyFree)(EvpPkey*);
  EvpPkeyCtx* (*ctxNew)(EvpPkey*, void*);
  EvpPkeyCtx* (*ctxDup)(const EvpPkeyCtx*);
  void (*ctxFree)(EvpPkeyCtx*);
  int (*signInit)(EvpPkeyCtx*);
  int (*setPadding)(EvpPkeyCtx*, int);
  int (*setSignatureMd)(EvpPkeyCtx*, const EvpMd*);
  int (*setPssSaltLength)(EvpPkeyCtx*, int);
  int (*setMgf1Md)(EvpPkeyCtx*, const EvpMd*);
  int (*sign)(EvpPkeyCtx*, unsigned char*, std::size_t*, const unsigned char*, std::size_t);
  const EvpMd* (*sha1)();
  const EvpMd* (*sha224)();
  const EvpMd* (*sha256)();
  const EvpMd* (*sha384)();
  const EvpMd* (*sha512)();
};

template <typename Function>
bool Resolve(void* library, const char* name, Function* out) {
  void* found = dlsym(library, name);
  if (found == nullptr) return false;
  static_assert(sizeof(Function) == sizeof(void*), "a function pointer the size of a data pointer");
  std::memcpy(out, &found, sizeof(found));
  return true;
}

// The sanitizer runtime refuses RTLD_DEEPBIND and ends the process. It is in the process when
// this module was built with it, or when a sanitized library was loaded into the process (the
// runtime preloaded), whichever build of this module is loaded.
bool SanitizerRuntimeLoaded() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return dlsym(RTLD_DEFAULT, "__asan_init") != nullptr;
#endif
}

// Loaded once per process and never unloaded: keys made from it live in credentials that may
// outlast any one session, and libcrypto's own exit handlers expect it to stay mapped.
const Libcrypto* LoadLibcrypto() {
  if (SanitizerRuntimeLoaded()) return nullptr;
  std::optional<std::string> choice = EnvironmentValue("EAPHOST_RSA_SIGNER");
  if (choice && *choice == "gnutls") return nullptr;
#if defined(RTLD_DEEPBIND)
  // DEEPBIND: libcrypto's calls to its own exported functions resolve inside itself, not to the
  // same names node exports from its bundled OpenSSL.
  void* library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#else
  void* library = nullptr;  // no symbol isolation to rely on: keep GnuTLS's own RSA
#endif
  if (library == nullptr) return nullptr;
  static Libcrypto crypto;
  const bool resolved =
      Resolve(library, "OpenSSL_version_num", &crypto.versionNumber) &&
      Resolve(library, "OPENSSL_init_crypto", &crypto.initCrypto) &&
      Resolve(library, "d2i_PrivateKey", &crypto.d2iPrivateKey) &&
      Resolve(library, "EVP_PKEY_free", &crypto.pkeyFree) &&
      Resolve(library, "EVP_PKEY_CTX_new", &crypto.ctxNew) &&
      Resolve(library, "EVP_PKEY_CTX_dup", &crypto.ctxDup) &&
      Resolve(library, "EVP_PKEY_CTX_free", &crypto.ctxFree) &&
      Resolve(library, "EVP_PKEY_sign_init", &crypto.signInit) &&
      Resolve(library, "EVP_PKEY_CTX_set_rsa_padding", &crypto.setPadding) &&
      Resolve(library, "EVP_PKEY_CTX_set_signature_md", &crypto.setSignatureMd) &&
      Resolve(library, "EVP_PKEY_CTX_set_rsa_pss_saltlen", &crypto.setPssSaltLength) &&
      Resolve(library, "EVP_PKEY_CTX_set_rsa_mgf1_md", &crypto.setMgf1Md) &&
      Resolve(library, "EVP_PKEY_sign", &crypto.sign) &&
      Resolve(library, "EVP_sha1", &crypto.sha1) && Resolve(library, "EVP_sha224", &crypto.sha224) &&
      Resolve(library, "EVP_sha256", &crypto.sha256) && Resolve(library, "EVP_sha384", &crypto.sha384) &&
      Resolve(library, "EVP_sha512", &crypto.sha512);
  // No configuration file: libcrypto only does the arithmetic of a key GnuTLS already governs,
  // and node's OPENSSL_CONF (if set) is not meant for it.
  if (!resolved || crypto.versionNumber() < kOpenssl3 || crypto.initCrypto(kInitNoLoadConfig, nullptr) != 1) {
    dlclose(library);
    return nullptr;
  }
  return &crypto;
}

const Libcrypto* Crypto() {
  static const Libcrypto* loaded = LoadLibcrypto();
  return loaded;
}

using Scheme = RsaScheme;

const EvpMd* DigestFor(const Libcrypto& crypto, gnutls_digest_algorithm_t digest) {
  switch (digest) {
    case GNUTLS_DIG_SHA1: return crypto.sha1();
    case GNUTLS_DIG_SHA224: return crypto.sha224();
    case GNUTLS_DIG_SHA256: return crypto.sha256();
    case GNUTLS_DIG_SHA384: return crypto.sha384();
    case GNUTLS_DIG_SHA512: return crypto.sha512();
    default: return nullptr;
  }
}

// A signing context made ready for one scheme: the key, the padding, the digest and PSS's
// parameters set.
EvpPkeyCtx* PrepareContext(const Libcrypto& crypto, EvpPkey* key, const Scheme& scheme, const EvpMd* md) {
  EvpPkeyCtx* context = crypto.ctxNew(key, nullptr);
  if (context == nullptr) return nullptr;
  const bool ready = crypto.signInit(context) > 0 &&
                     crypto.setPadding(context, scheme.pss ? kRsaPssPadding : kRsaPkcs1Padding) > 0 &&
                     (md == nullptr || crypto.setSignatureMd(context, md) > 0) &&
                     (!scheme.pss ||
                      (crypto.setPssSaltLength(context, kPssSaltIsDigestLength) > 0 && crypto.setMgf1Md(context, md) > 0));
  if (ready) return context;
  crypto.ctxFree(context);
  return nullptr;
}

// One key: libcrypto's copy for signing, GnuTLS's for the one decryption a server key is asked
// for (below). Shared by every session of the credentials, from any thread: neither key is
// modified after it is made.
//
// Each signature runs in a context of its own, duplicated from one made ready for its scheme
// the first time that scheme was asked for. Making a context ready (libcrypto 3 fetching the
// signature and digest implementations from its provider, then setting each parameter) cost
// 4 to 5 us a signature; the duplicate costs well under one. The ready contexts are read only
// while duplicated, under the lock: libcrypto does not say a context may be duplicated on two
// threads at once.
class SignerKey {
 public:
  EvpPkey* openssl = nullptr;
  gnutls_privkey_t gnutls = nullptr;
  unsigned int bits = 0;

  SignerKey() = default;
  SignerKey(const SignerKey&) = delete;
  SignerKey& operator=(const SignerKey&) = delete;
  ~SignerKey() {
    for (EvpPkeyCtx* context : ready_) {
      if (context != nullptr) Crypto()->ctxFree(context);
    }
    if (openssl != nullptr) Crypto()->pkeyFree(openssl);
    if (gnutls != nullptr) gnutls_privkey_deinit(gnutls);
  }

  // A context of the caller's own for one signature in `scheme` (free it with ctxFree), or null.
  EvpPkeyCtx* ContextFor(const Libcrypto& crypto, const Scheme& scheme, const EvpMd* md) {
    const auto digest = static_cast<unsigned int>(scheme.digest);
    if (digest >= kDigests) return nullptr;
    const size_t slot = (scheme.pss ? kDigests : 0) + digest;
    std::lock_guard<std::mutex> lock(mutex_);
    if (ready_[slot] == nullptr) ready_[slot] = PrepareContext(crypto, openssl, scheme, md);
    return ready_[slot] == nullptr ? nullptr : crypto.ctxDup(ready_[slot]);
  }

 private:
  // GnuTLS's digest numbers the schemes name (tls_rsa_schemes.h) are all below this.
  static constexpr unsigned int kDigests = 16;
  std::mutex mutex_;
  EvpPkeyCtx* ready_[2 * kDigests] = {};
};

struct ContextFree {
  const Libcrypto& crypto;
  EvpPkeyCtx* context;
  ~ContextFree() {
    if (context != nullptr) crypto.ctxFree(context);
  }
};

int SignHash(gnutls_privkey_t, gnutls_sign_algorithm_t algorithm, void* userdata, unsigned int flags,
             const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  SignerKey& key = *static_cast<SignerKey*>(userdata);
  const Libcrypto& crypto = *Crypto();
  Scheme scheme = RsaSchemeOf(algorithm);
  // TLS 1.0 / 1.1's MD5+SHA-1 pair arrives flagged rather than named; signed as given.
  if (!scheme.known && (flags & GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA) != 0) scheme = {true, false, GNUTLS_DIG_UNKNOWN};
  if (!scheme.known || hash == nullptr || signature == nullptr) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  const EvpMd* md = DigestFor(crypto, scheme.digest);
  if (scheme.digest != GNUTLS_DIG_UNKNOWN &&
      (md == nullptr || hash->size != gnutls_hash_get_len(scheme.digest))) {
    return GNUTLS_E_INVALID_REQUEST;
  }
  ContextFree context{crypto, key.ContextFor(crypto, scheme, md)};
  if (context.context == nullptr) return GNUTLS_E_PK_SIGN_FAILED;
  std::size_t length = (key.bits + 7) / 8;
  auto* out = static_cast<unsigned char*>(gnutls_malloc(length));
  if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
  if (crypto.sign(context.context, out, &length, hash->data, hash->size) <= 0 || length > (key.bits + 7) / 8) {
    gnutls_free(out);
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  signature->data = out;
  signature->size = static_cast<unsigned int>(length);
  return 0;
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
  auto* out = static_cast<unsigned char*>(gnutls_malloc(kPreMasterSecretLength));
  if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
  unsigned char substitute[kPreMasterSecretLength];
  if (gnutls_rnd(GNUTLS_RND_RANDOM, substitute, sizeof(substitute)) < 0) {
    gnutls_free(out);
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
  return RsaKeyInfo(flags, key.bits, [](const RsaScheme& scheme) { return scheme.known; });
}

// The key's PKCS#1 DER, scrubbed and freed on every way out.
struct KeyDer {
  gnutls_datum_t der{nullptr, 0};
  ~KeyDer() {
    if (der.data != nullptr) {
      SecureZero(der.data, der.size);
      gnutls_free(der.data);
    }
  }
};
// A GnuTLS private key for `key` whose signatures run in libcrypto: null with *rc == 0 when
// `key` is not RSA, null with *rc < 0 when it cannot be made. `key` stays the caller's.
gnutls_privkey_t MakeRsaSignerKey(gnutls_x509_privkey_t key, int* rc) {
  *rc = 0;
  const Libcrypto* crypto = Crypto();
  unsigned int bits = 0;
  if (crypto == nullptr || gnutls_x509_privkey_get_pk_algorithm2(key, &bits) != GNUTLS_PK_RSA) return nullptr;

  SignerKey* made = new SignerKey;
  made->bits = bits;
  KeyDer der;
  gnutls_x509_privkey_t copy = nullptr;
  gnutls_privkey_t external = nullptr;
  *rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_DER, &der.der);
  if (*rc >= 0) {
    const unsigned char* cursor = der.der.data;
    made->openssl = crypto->d2iPrivateKey(kEvpPkeyRsa, nullptr, &cursor, static_cast<long>(der.der.size));
    if (made->openssl == nullptr) *rc = GNUTLS_E_PK_SIGN_FAILED;
  }
  // GnuTLS's own copy, for the decryption above.
  if (*rc >= 0) *rc = gnutls_x509_privkey_init(&copy);
  if (*rc >= 0) *rc = gnutls_x509_privkey_cpy(copy, key);
  if (*rc >= 0) *rc = gnutls_privkey_init(&made->gnutls);
  if (*rc >= 0) {
    *rc = gnutls_privkey_import_x509(made->gnutls, copy, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
    if (*rc >= 0) copy = nullptr;  // the privkey owns it now
  }
  if (copy != nullptr) gnutls_x509_privkey_deinit(copy);
  if (*rc >= 0) *rc = gnutls_privkey_init(&external);
  if (*rc >= 0) {
    // Once imported, GnuTLS owns `made` and releases it with the key; a refused import (its
    // checks come before it keeps anything) leaves it ours.
    *rc = gnutls_privkey_import_ext4(external, made, SignData, SignHash, Decrypt, Release, Info, 0);
    if (*rc >= 0) made = nullptr;
  }
  delete made;
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
  gnutls_free(crts);
  if (rc < 0) chain->clear();
  return rc;
}
}  // namespace

bool RsaSignerAvailable() { return Crypto() != nullptr; }

int SetKeyWithRsaSigner(gnutls_certificate_credentials_t target, gnutls_certificate_credentials_t loaded) {
  if (Crypto() == nullptr) return 0;
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
  if (rc >= 0) rc = gnutls_certificate_set_key(target, nullptr, 0, chain.data(), static_cast<int>(chain.size()), external);
  if (rc < 0) {
    for (gnutls_pcert_st& pcert : chain) gnutls_pcert_deinit(&pcert);
    gnutls_privkey_deinit(external);
    return rc;
  }
  return 1;
}

}  // namespace tls
}  // namespace eaphost
