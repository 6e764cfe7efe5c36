#include "tls_rsa_signer_os.h"

#include <dlfcn.h>
#include "gnutls_headers.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

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

struct ContextFree {
  const Libcrypto& crypto;
  EvpPkeyCtx* context;
  ~ContextFree() {
    if (context != nullptr) crypto.ctxFree(context);
  }
};

// libcrypto's copy of the key, shared by every session of the credentials, from any thread.
//
// Each signature runs in a context of its own, duplicated from one made ready for its scheme
// the first time that scheme was asked for. Making a context ready (libcrypto 3 fetching the
// signature and digest implementations from its provider, then setting each parameter) cost
// 4 to 5 us a signature; the duplicate costs well under one. The ready contexts are read only
// while duplicated, under the lock: libcrypto does not say a context may be duplicated on two
// threads at once.
class LibcryptoSignature final : public RsaSignature {
 public:
  LibcryptoSignature(EvpPkey* key, unsigned int bits) : key_(key), bits_(bits) {}
  LibcryptoSignature(const LibcryptoSignature&) = delete;
  LibcryptoSignature& operator=(const LibcryptoSignature&) = delete;
  ~LibcryptoSignature() override {
    for (EvpPkeyCtx* context : ready_) {
      if (context != nullptr) Crypto()->ctxFree(context);
    }
    Crypto()->pkeyFree(key_);
  }

  bool Signs(const RsaScheme& scheme) const override { return scheme.known; }

  int Sign(const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) override {
    const Libcrypto& crypto = *Crypto();
    const EvpMd* md = DigestFor(crypto, scheme.digest);
    if (scheme.digest != GNUTLS_DIG_UNKNOWN && md == nullptr) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
    ContextFree context{crypto, ContextFor(crypto, scheme, md)};
    if (context.context == nullptr) return GNUTLS_E_PK_SIGN_FAILED;
    std::size_t length = (bits_ + 7) / 8;
    auto* out = static_cast<unsigned char*>(gnutls_malloc(length));
    if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
    if (crypto.sign(context.context, out, &length, hash->data, hash->size) <= 0) {
      gnutls_free(out);
      return GNUTLS_E_PK_SIGN_FAILED;
    }
    signature->data = out;
    signature->size = static_cast<unsigned int>(length);
    return 0;
  }

 private:
  // A context of the caller's own for one signature in `scheme` (free it with ctxFree), or null.
  EvpPkeyCtx* ContextFor(const Libcrypto& crypto, const Scheme& scheme, const EvpMd* md) {
    const auto digest = static_cast<unsigned int>(scheme.digest);
    if (digest >= kDigests) return nullptr;
    const size_t slot = (scheme.pss ? kDigests : 0) + digest;
    std::lock_guard<std::mutex> lock(mutex_);
    if (ready_[slot] == nullptr) ready_[slot] = PrepareContext(crypto, key_, scheme, md);
    return ready_[slot] == nullptr ? nullptr : crypto.ctxDup(ready_[slot]);
  }

  // GnuTLS's digest numbers the schemes name (tls_rsa_schemes.h) are all below this.
  static constexpr unsigned int kDigests = 16;
  EvpPkey* key_;
  unsigned int bits_;
  std::mutex mutex_;
  EvpPkeyCtx* ready_[2 * kDigests] = {};
};

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
}  // namespace

bool RsaSignerAvailable() { return Crypto() != nullptr; }

std::unique_ptr<RsaSignature> MakeRsaSignature(gnutls_x509_privkey_t key, unsigned int bits, int* rc) {
  const Libcrypto* crypto = Crypto();
  *rc = 0;
  if (crypto == nullptr) return nullptr;
  KeyDer der;
  *rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_DER, &der.der);
  if (*rc < 0) return nullptr;
  const unsigned char* cursor = der.der.data;
  EvpPkey* openssl = crypto->d2iPrivateKey(kEvpPkeyRsa, nullptr, &cursor, static_cast<long>(der.der.size));
  if (openssl == nullptr) {
    *rc = GNUTLS_E_PK_SIGN_FAILED;
    return nullptr;
  }
  return std::unique_ptr<RsaSignature>(new LibcryptoSignature(openssl, bits));
}

}  // namespace tls
}  // namespace eaphost
