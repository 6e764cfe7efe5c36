#include "tls_rsa_signer_os.h"

#include "../../../abi/eap_platform.h"  // windows.h first, lean
#include <bcrypt.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../../../common/environment.h"
#include "../../../common/secure_zero.h"
#include "tls_cng_sign.h"
#include "tls_gnutls_library.h"

// Windows: an RSA key from a file signs in CNG (BCryptSignHash), the OS's own RSA, instead of
// GnuTLS's nettle (docs/benchmarks.md has both costs). The key is imported as a
// BCRYPT_RSAFULLPRIVATE_BLOB built from the numbers GnuTLS parsed, the blob wiped once CNG holds
// its copy.
//
// Who frees what (docs/WINDOWS-CONTRACT.md): BCryptDestroyKey for each key handle, then
// BCryptCloseAlgorithmProvider for the provider they were imported under.
//
// Handles of their own for each padding, PKCS#1 v1.5 and RSA-PSS. Wine 8's bcrypt binds a key to
// PSS once it made a PSS signature, and refuses PKCS#1 with the same handle afterwards
// (STATUS_INTERNAL_ERROR, c00000e5; GnuTLS's "Some constraint limits were reached" on its
// console), which a server answering TLS 1.2 peers of both kinds would meet. Windows documents
// no such binding. Each handle makes one signature at a time, and there are eight for each
// padding (CngSignature::kCopies), so that the step threads sign side by side as they do
// with libcrypto.
//
// Before the key is used, it signs once in each padding and GnuTLS checks the signatures with
// its public half. Where CNG cannot import or sign with the key, GnuTLS keeps it and signs as
// before. EAPHOST_RSA_SIGNER=gnutls in the environment asks for that too.

namespace eaphost {
namespace tls {

namespace {

// NTSTATUS values bcrypt.h leaves to ntstatus.h.
constexpr LONG kStatusSuccess = 0;

struct RawRsa {
  gnutls_datum_t m{}, e{}, d{}, p{}, q{}, u{}, e1{}, e2{};
  ~RawRsa() {
    for (gnutls_datum_t* part : {&m, &e, &d, &p, &q, &u, &e1, &e2}) {
      if (part->data != nullptr) {
        SecureZero(part->data, part->size);
        TlsLibraryFree(part->data);
      }
    }
  }
};

// A big-endian number without its leading zero bytes.
struct Digits {
  const unsigned char* data;
  std::size_t size;
};
Digits Trimmed(const gnutls_datum_t& number) {
  std::size_t skip = 0;
  while (skip < number.size && number.data[skip] == 0) ++skip;
  return {number.data + skip, number.size - skip};
}

// Appends `number` right-aligned in `width` bytes; false when it does not fit.
bool Append(std::vector<unsigned char>* blob, const gnutls_datum_t& number, std::size_t width) {
  const Digits digits = Trimmed(number);
  if (digits.size == 0 || digits.size > width) return false;
  blob->insert(blob->end(), width - digits.size, 0);
  blob->insert(blob->end(), digits.data, digits.data + digits.size);
  return true;
}

// BCRYPT_RSAFULLPRIVATE_BLOB: the header, then PublicExponent, Modulus, Prime1, Prime2, Exponent1,
// Exponent2, Coefficient and PrivateExponent, big-endian, each as long as the header says. The
// coefficient is q^-1 mod p, PKCS#1's, which GnuTLS calls u. Empty when a number does not fit.
std::vector<unsigned char> FullPrivateBlob(const RawRsa& raw, unsigned int bits) {
  const std::size_t modulus = (bits + 7) / 8;
  const std::size_t prime1 = Trimmed(raw.p).size;
  const std::size_t prime2 = Trimmed(raw.q).size;
  const std::size_t exponent = Trimmed(raw.e).size;
  std::vector<unsigned char> blob(sizeof(BCRYPT_RSAKEY_BLOB));
  BCRYPT_RSAKEY_BLOB header{};
  header.Magic = BCRYPT_RSAFULLPRIVATE_MAGIC;
  header.BitLength = bits;
  header.cbPublicExp = static_cast<ULONG>(exponent);
  header.cbModulus = static_cast<ULONG>(modulus);
  header.cbPrime1 = static_cast<ULONG>(prime1);
  header.cbPrime2 = static_cast<ULONG>(prime2);
  std::memcpy(blob.data(), &header, sizeof(header));
  blob.reserve(blob.size() + exponent + 2 * modulus + 3 * prime1 + 2 * prime2);
  const bool built = exponent != 0 && prime1 != 0 && prime2 != 0 && Append(&blob, raw.e, exponent) &&
                     Append(&blob, raw.m, modulus) && Append(&blob, raw.p, prime1) && Append(&blob, raw.q, prime2) &&
                     Append(&blob, raw.e1, prime1) && Append(&blob, raw.e2, prime2) && Append(&blob, raw.u, prime1) &&
                     Append(&blob, raw.d, modulus);
  if (!built) {
    SecureZeroContents(blob);
    blob.clear();
  }
  return blob;
}

// One imported copy of the key, used by one signature at a time: CNG documents no concurrent use
// of one key handle, and Wine's bcrypt changes a key's parameters as it signs.
struct KeyHandle {
  BCRYPT_KEY_HANDLE key = nullptr;
  std::mutex mutex;
};

class CngSignature final : public RsaSignature {
 public:
  // Copies per padding: as many signatures at once as the RADIUS engine's step threads by
  // default (at most 8); a ninth waits for one.
  static constexpr unsigned int kCopies = 8;

  CngSignature() = default;
  CngSignature(const CngSignature&) = delete;
  CngSignature& operator=(const CngSignature&) = delete;
  ~CngSignature() override {
    for (KeyHandle* copies : {pkcs1_, pss_}) {
      for (unsigned int i = 0; i < kCopies; ++i) {
        if (copies[i].key != nullptr) BCryptDestroyKey(copies[i].key);
      }
    }
    if (provider_ != nullptr) BCryptCloseAlgorithmProvider(provider_, 0);
  }

  // Imports the key kCopies times for each padding (above); false when CNG cannot.
  bool Import(std::vector<unsigned char>* blob) {
    const ULONG size = static_cast<ULONG>(blob->size());
    bool imported = BCryptOpenAlgorithmProvider(&provider_, BCRYPT_RSA_ALGORITHM, nullptr, 0) == kStatusSuccess;
    for (KeyHandle* copies : {pkcs1_, pss_}) {
      for (unsigned int i = 0; i < kCopies && imported; ++i) {
        imported = BCryptImportKeyPair(provider_, nullptr, BCRYPT_RSAFULLPRIVATE_BLOB, &copies[i].key, blob->data(),
                                       size, 0) == kStatusSuccess;
      }
    }
    SecureZeroContents(*blob);
    return imported;
  }

  bool Signs(const RsaScheme& scheme) const override { return CngSigns(scheme, true); }

  int Sign(const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) override {
    KeyHandle* copies = scheme.pss ? pss_ : pkcs1_;
    // The first free copy from a turn's starting point; all busy: wait for that one.
    const unsigned int first = next_.fetch_add(1, std::memory_order_relaxed) % kCopies;
    std::unique_lock<std::mutex> held;
    KeyHandle* copy = nullptr;
    for (unsigned int i = 0; i < kCopies && copy == nullptr; ++i) {
      KeyHandle& candidate = copies[(first + i) % kCopies];
      std::unique_lock<std::mutex> tried(candidate.mutex, std::try_to_lock);
      if (tried.owns_lock()) {
        held = std::move(tried);
        copy = &candidate;
      }
    }
    if (copy == nullptr) {
      copy = &copies[first];
      held = std::unique_lock<std::mutex>(copy->mutex);
    }
    BCRYPT_KEY_HANDLE key = copy->key;
    LONG failure = 0;
    return CngSignHash(
        scheme, hash, signature, 0,
        [key](void* padding, BYTE* data, ULONG size, BYTE* out, ULONG room, ULONG* written, ULONG flags) {
          return static_cast<LONG>(BCryptSignHash(key, padding, data, size, out, room, written, flags));
        },
        &failure);
  }

 private:
  BCRYPT_ALG_HANDLE provider_ = nullptr;
  KeyHandle pkcs1_[kCopies];
  KeyHandle pss_[kCopies];
  std::atomic<unsigned int> next_{0};
};

// The key signs a SHA-256 hash once in each padding, checked with its public half: PKCS#1 v1.5
// and RSA-PSS, as TLS 1.2 and 1.3 ask.
bool SignsCorrectly(RsaSignature& signature, gnutls_x509_privkey_t key) {
  gnutls_privkey_t privkey = nullptr;
  gnutls_pubkey_t pubkey = nullptr;
  bool checked = gnutls_privkey_init(&privkey) >= 0 && gnutls_privkey_import_x509(privkey, key, 0) >= 0 &&
                 gnutls_pubkey_init(&pubkey) >= 0 && gnutls_pubkey_import_privkey(pubkey, privkey, 0, 0) >= 0;
  unsigned char digest[32];
  for (unsigned int i = 0; i < sizeof(digest); ++i) digest[i] = static_cast<unsigned char>(0xa5 ^ i);
  const gnutls_datum_t hash{digest, sizeof(digest)};
  for (gnutls_sign_algorithm_t algorithm : {GNUTLS_SIGN_RSA_SHA256, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256}) {
    gnutls_datum_t made{nullptr, 0};
    checked = checked && signature.Sign(RsaSchemeOf(algorithm), &hash, &made) == 0 &&
              gnutls_pubkey_verify_hash2(pubkey, algorithm, 0, &hash, &made) >= 0;
    if (made.data != nullptr) TlsLibraryFree(made.data);
  }
  if (pubkey != nullptr) gnutls_pubkey_deinit(pubkey);
  if (privkey != nullptr) gnutls_privkey_deinit(privkey);  // imported without AUTO_RELEASE: `key` stays
  return checked;
}

}  // namespace

bool RsaSignerAvailable() {
  static const bool available = [] {
    const std::optional<std::string> choice = EnvironmentValue("EAPHOST_RSA_SIGNER");
    return !(choice && *choice == "gnutls");
  }();
  return available;
}

std::unique_ptr<RsaSignature> MakeRsaSignature(gnutls_x509_privkey_t key, unsigned int bits, int* rc) {
  RawRsa raw;
  *rc = gnutls_x509_privkey_export_rsa_raw2(key, &raw.m, &raw.e, &raw.d, &raw.p, &raw.q, &raw.u, &raw.e1, &raw.e2);
  if (*rc < 0) return nullptr;
  std::vector<unsigned char> blob = FullPrivateBlob(raw, bits);
  std::unique_ptr<CngSignature> made(new CngSignature);
  // CNG unable to take or use the key: not a failure, GnuTLS keeps it (*rc 0).
  if (blob.empty() || !made->Import(&blob) || !SignsCorrectly(*made, key)) return nullptr;
  return made;
}

}  // namespace tls
}  // namespace eaphost
