#include "tls_store_key.h"

#include "../../../abi/eap_platform.h"  // windows.h first
#include <wincrypt.h>
#include <ncrypt.h>

#include <gnutls/abstract.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../../support/method_error.h"
#include "../tls_errors.h"
#include "tls_gnutls_library.h"
#include "tls_rsa_schemes.h"

// Who frees what (docs/WINDOWS-CONTRACT.md, "Certificates from the store"): the store with
// CertCloseStore, each certificate context with CertFreeCertificateContext, the chain with
// CertFreeCertificateChain, the key as CryptAcquireCertificatePrivateKey's pfCallerFree says:
// NCryptFreeObject for a CNG key, CryptReleaseContext for a CryptoAPI provider, nothing when
// the flag is FALSE (the certificate context owns the handle: we keep our copy of the context
// until the key goes).

namespace eaphost {
namespace tls {

namespace {
constexpr DWORD kEncoding = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;
constexpr eap::DWORD kCryptNotFound = 0x80092004;     // CRYPT_E_NOT_FOUND
constexpr eap::DWORD kCryptNoKeyProperty = 0x8009200B;  // CRYPT_E_NO_KEY_PROPERTY

std::wstring Wide(const std::string& utf8) {
  if (utf8.empty()) return std::wstring();
  const int units = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (units <= 0) return std::wstring();
  std::wstring out(static_cast<std::size_t>(units), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), &out[0], units);
  return out;
}

std::string Hex32(DWORD value) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) text.push_back(kDigits[(value >> shift) & 15]);
  return text;
}

std::string Thumbprint(PCCERT_CONTEXT certificate) {
  BYTE hash[20] = {};
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(certificate, CERT_SHA1_HASH_PROP_ID, hash, &size) || size != sizeof hash) return "?";
  StoreCertificate ref;
  ref.thumbprint.assign(hash, hash + sizeof hash);
  const std::string named = StoreCertificateName(ref);
  return named.substr(named.rfind(' ') + 1);
}

// The private key the store holds for one certificate, shared by every session of the
// credentials (from any thread) until GnuTLS releases the key.
struct StoreKey {
  PCCERT_CONTEXT certificate = nullptr;  // our reference: a handle the context owns lives with it
  NCRYPT_KEY_HANDLE ncrypt = 0;
  HCRYPTPROV capi = 0;
  DWORD keySpec = 0;
  bool callerFrees = false;
  HCRYPTPROV sha2Provider = 0;  // ours: the same key container through the RSA-and-AES provider
  bool sha2 = false;            // the CryptoAPI provider hashes SHA-256/384/512
  unsigned int bits = 0;
  // CryptoAPI providers are not documented as safe for concurrent use of one handle.
  std::mutex capiMutex;
  std::atomic<DWORD> lastError{0};  // the last signing call's failure, for the load error

  ~StoreKey() {
    if (sha2Provider != 0) CryptReleaseContext(sha2Provider, 0);
    if (callerFrees && ncrypt != 0) NCryptFreeObject(ncrypt);
    if (callerFrees && capi != 0) CryptReleaseContext(capi, 0);
    if (certificate != nullptr) CertFreeCertificateContext(certificate);
  }
  HCRYPTPROV Provider() const { return sha2Provider != 0 ? sha2Provider : capi; }
};

const wchar_t* CngDigest(gnutls_digest_algorithm_t digest) {
  switch (digest) {
    case GNUTLS_DIG_SHA1: return BCRYPT_SHA1_ALGORITHM;
    case GNUTLS_DIG_SHA256: return BCRYPT_SHA256_ALGORITHM;
    case GNUTLS_DIG_SHA384: return BCRYPT_SHA384_ALGORITHM;
    case GNUTLS_DIG_SHA512: return BCRYPT_SHA512_ALGORITHM;
    default: return nullptr;
  }
}

ALG_ID CapiDigest(gnutls_digest_algorithm_t digest, bool sha2) {
  switch (digest) {
    case GNUTLS_DIG_SHA1: return CALG_SHA1;
    case GNUTLS_DIG_SHA256: return sha2 ? CALG_SHA_256 : 0;
    case GNUTLS_DIG_SHA384: return sha2 ? CALG_SHA_384 : 0;
    case GNUTLS_DIG_SHA512: return sha2 ? CALG_SHA_512 : 0;
    default: return 0;
  }
}

// What this key signs: CNG every rsaEncryption scheme but SHA-224 (CNG names no such hash);
// CryptoAPI PKCS#1 v1.5 over the hashes its provider has, never PSS. A DigestInfo GnuTLS hands
// over as it is (GNUTLS_SIGN_RSA_RAW: its TLS 1.2 PKCS#1 signatures come this way) is signed as
// given by CNG, and by CryptoAPI as the hash it carries (DigestOfDigestInfo).
bool Signs(const StoreKey& key, const RsaScheme& scheme) {
  if (!scheme.known) return false;
  if (key.ncrypt != 0) return scheme.digest == GNUTLS_DIG_UNKNOWN || CngDigest(scheme.digest) != nullptr;
  return !scheme.pss && (scheme.digest == GNUTLS_DIG_UNKNOWN || CapiDigest(scheme.digest, key.sha2) != 0);
}

// RFC 8017 9.2 note 1: the DER prefixes of a DigestInfo for each hash, its value following.
struct DigestInfoPrefix {
  gnutls_digest_algorithm_t digest;
  unsigned char length;
  unsigned char bytes[19];
};
constexpr DigestInfoPrefix kDigestInfoPrefixes[] = {
    {GNUTLS_DIG_SHA1, 15, {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14}},
    {GNUTLS_DIG_SHA256, 19, {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}},
    {GNUTLS_DIG_SHA384, 19, {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}},
    {GNUTLS_DIG_SHA512, 19, {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}},
};

// The hash a DigestInfo carries and its algorithm; GNUTLS_DIG_UNKNOWN when it is none of those.
gnutls_digest_algorithm_t DigestOfDigestInfo(const gnutls_datum_t& info, gnutls_datum_t* hash) {
  for (const DigestInfoPrefix& prefix : kDigestInfoPrefixes) {
    const unsigned int size = gnutls_hash_get_len(prefix.digest);
    if (info.size == prefix.length + size && std::memcmp(info.data, prefix.bytes, prefix.length) == 0) {
      *hash = gnutls_datum_t{info.data + prefix.length, size};
      return prefix.digest;
    }
  }
  return GNUTLS_DIG_UNKNOWN;
}

int SignCng(StoreKey& key, const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  BCRYPT_PKCS1_PADDING_INFO pkcs1{CngDigest(scheme.digest)};
  BCRYPT_PSS_PADDING_INFO pss{CngDigest(scheme.digest), hash->size};  // salt: the hash's length (TLS)
  void* padding = scheme.pss ? static_cast<void*>(&pss) : static_cast<void*>(&pkcs1);
  const DWORD flags = (scheme.pss ? BCRYPT_PAD_PSS : BCRYPT_PAD_PKCS1) | NCRYPT_SILENT_FLAG;
  DWORD size = 0;
  SECURITY_STATUS status = NCryptSignHash(key.ncrypt, padding, hash->data, hash->size, nullptr, 0, &size, flags);
  if (status != ERROR_SUCCESS || size == 0 || size > 2048) {
    key.lastError = static_cast<DWORD>(status);
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  auto* out = static_cast<unsigned char*>(TlsLibraryAllocate(size));
  if (out == nullptr) return GNUTLS_E_MEMORY_ERROR;
  status = NCryptSignHash(key.ncrypt, padding, hash->data, hash->size, out, size, &size, flags);
  if (status != ERROR_SUCCESS) {
    key.lastError = static_cast<DWORD>(status);
    TlsLibraryFree(out);
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  signature->data = out;
  signature->size = size;
  return 0;
}

int SignCapi(StoreKey& key, RsaScheme scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  gnutls_datum_t carried{nullptr, 0};
  if (scheme.digest == GNUTLS_DIG_UNKNOWN) {
    scheme.digest = DigestOfDigestInfo(*hash, &carried);
    if (CapiDigest(scheme.digest, key.sha2) == 0) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
    hash = &carried;
  }
  std::lock_guard<std::mutex> lock(key.capiMutex);
  HCRYPTHASH handle = 0;
  if (!CryptCreateHash(key.Provider(), CapiDigest(scheme.digest, key.sha2), 0, 0, &handle)) {
    key.lastError = GetLastError();
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  DWORD size = 0;
  unsigned char* out = nullptr;
  bool ok = CryptSetHashParam(handle, HP_HASHVAL, hash->data, 0) &&
            CryptSignHashW(handle, key.keySpec, nullptr, 0, nullptr, &size) && size != 0 && size <= 2048 &&
            (out = static_cast<unsigned char*>(TlsLibraryAllocate(size))) != nullptr &&
            CryptSignHashW(handle, key.keySpec, nullptr, 0, out, &size);
  if (!ok) key.lastError = GetLastError();
  CryptDestroyHash(handle);
  if (!ok) {
    TlsLibraryFree(out);
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  // CryptoAPI writes the signature little-endian; TLS carries it big-endian.
  for (DWORD i = 0; i < size / 2; ++i) std::swap(out[i], out[size - 1 - i]);
  signature->data = out;
  signature->size = size;
  return 0;
}

int SignHash(gnutls_privkey_t, gnutls_sign_algorithm_t algorithm, void* userdata, unsigned int flags,
             const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  StoreKey& key = *static_cast<StoreKey*>(userdata);
  RsaScheme scheme = RsaSchemeOf(algorithm);
  if (!scheme.known && (flags & GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA) != 0) scheme = {true, false, GNUTLS_DIG_UNKNOWN};
  if (!Signs(key, scheme) || hash == nullptr || signature == nullptr) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  if (scheme.digest != GNUTLS_DIG_UNKNOWN && hash->size != gnutls_hash_get_len(scheme.digest)) return GNUTLS_E_INVALID_REQUEST;
  return key.ncrypt != 0 ? SignCng(key, scheme, hash, signature) : SignCapi(key, scheme, hash, signature);
}

int SignData(gnutls_privkey_t privkey, gnutls_sign_algorithm_t algorithm, void* userdata, unsigned int flags,
             const gnutls_datum_t* data, gnutls_datum_t* signature) {
  return SignDataAsHash(privkey, algorithm, userdata, flags, data, signature, SignHash);
}

void Release(gnutls_privkey_t, void* userdata) { delete static_cast<StoreKey*>(userdata); }

int Info(gnutls_privkey_t, unsigned int flags, void* userdata) {
  const StoreKey& key = *static_cast<const StoreKey*>(userdata);
  return RsaKeyInfo(flags, key.bits, [&key](const RsaScheme& scheme) { return Signs(key, scheme); });
}

struct Refusal {
  const char* methodName;
  const StoreCertificate& ref;
  MethodFailure operator()(eap::DWORD winError, const std::string& what, const std::string& repair) const {
    return MethodFailure{winError, kEapUserCertNotFound,
                         std::string("The ") + methodName + " peer's store certificate (" + StoreCertificateName(ref) +
                             ") " + what,
                         repair};
  }
};

// Owners of what the look-up opens, each closed with its own function on every way out.
struct Store {
  HCERTSTORE handle = nullptr;
  ~Store() {
    if (handle != nullptr) CertCloseStore(handle, 0);
  }
};
struct Certificates {
  std::vector<PCCERT_CONTEXT> list;
  ~Certificates() {
    for (PCCERT_CONTEXT c : list) CertFreeCertificateContext(c);
  }
};

bool HasKeyProperty(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  return CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) ||
         CertGetCertificateContextProperty(certificate, CERT_NCRYPT_KEY_HANDLE_PROP_ID, nullptr, &size);
}

// The one certificate `ref` names, as a context of our own.
PCCERT_CONTEXT FindCertificate(HCERTSTORE store, const StoreCertificate& ref, const Refusal& refuse) {
  if (!ref.thumbprint.empty()) {
    CRYPT_HASH_BLOB hash{static_cast<DWORD>(ref.thumbprint.size()), const_cast<BYTE*>(ref.thumbprint.data())};
    PCCERT_CONTEXT found = CertFindCertificateInStore(store, kEncoding, 0, CERT_FIND_SHA1_HASH, &hash, nullptr);
    if (found == nullptr) {
      throw refuse(kCryptNotFound, "is not there: the store holds no certificate with that thumbprint",
                   "Import the certificate with its key into that store, or give the thumbprint of one it holds");
    }
    return found;
  }
  // By subject: among the certificates whose subject contains the text (CertFindCertificateInStore
  // compares case-insensitively), those valid now and linked to a key; exactly one, or a refusal
  // that lists them, never a guess.
  const std::wstring subject = Wide(ref.subject);
  Certificates matching;
  std::size_t seen = 0;
  for (PCCERT_CONTEXT at = CertFindCertificateInStore(store, kEncoding, 0, CERT_FIND_SUBJECT_STR_W, subject.c_str(), nullptr);
       at != nullptr; at = CertFindCertificateInStore(store, kEncoding, 0, CERT_FIND_SUBJECT_STR_W, subject.c_str(), at)) {
    ++seen;
    if (CertVerifyTimeValidity(nullptr, at->pCertInfo) == 0 && HasKeyProperty(at)) {
      matching.list.push_back(CertDuplicateCertificateContext(at));
    }
  }
  if (matching.list.empty()) {
    throw refuse(seen == 0 ? kCryptNotFound : kCryptNoKeyProperty,
                 seen == 0 ? std::string("is not there: no certificate's subject contains that text")
                           : "matches " + Decimal(seen) + " certificate(s), none valid now with a private key",
                 "Import the certificate with its key into that store, or name another");
  }
  if (matching.list.size() > 1) {
    std::string thumbprints;
    for (PCCERT_CONTEXT c : matching.list) thumbprints += (thumbprints.empty() ? "" : ", ") + Thumbprint(c);
    throw refuse(kCryptNotFound, "is ambiguous: " + Decimal(matching.list.size()) +
                                     " certificates valid now with a private key match (" + thumbprints + ")",
                 "Name the certificate by its thumbprint");
  }
  PCCERT_CONTEXT only = matching.list.front();
  matching.list.clear();
  return only;
}

// The certificate, then the intermediates the chain engine finds (in the certificate's own store
// and the system's), without the self-signed root: the peer sends what the server needs to reach
// its trust anchor. Only what is cached locally is used (no AIA fetch while loading a key).
std::vector<std::vector<unsigned char>> ChainOf(PCCERT_CONTEXT certificate) {
  std::vector<std::vector<unsigned char>> chain;
  chain.emplace_back(certificate->pbCertEncoded, certificate->pbCertEncoded + certificate->cbCertEncoded);
  CERT_CHAIN_PARA para{};
  para.cbSize = sizeof para;
  PCCERT_CHAIN_CONTEXT built = nullptr;
  if (!CertGetCertificateChain(nullptr, certificate, nullptr, certificate->hCertStore, &para,
                               CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL, nullptr, &built) || built == nullptr) {
    return chain;
  }
  if (built->cChain > 0 && built->rgpChain[0] != nullptr) {
    const CERT_SIMPLE_CHAIN& simple = *built->rgpChain[0];
    for (DWORD i = 1; i < simple.cElement; ++i) {
      const CERT_CHAIN_ELEMENT& element = *simple.rgpElement[i];
      if (i + 1 == simple.cElement && (element.TrustStatus.dwInfoStatus & CERT_TRUST_IS_SELF_SIGNED) != 0) break;
      chain.emplace_back(element.pCertContext->pbCertEncoded,
                         element.pCertContext->pbCertEncoded + element.pCertContext->cbCertEncoded);
    }
  }
  CertFreeCertificateChain(built);
  return chain;
}

// A CryptoAPI key of Microsoft's RSA providers is reachable through the RSA-and-AES provider too,
// which hashes SHA-2 (the base and enhanced providers do not): reopened there when needed.
void FindSha2Provider(StoreKey* key) {
  HCRYPTHASH probe = 0;
  if (CryptCreateHash(key->capi, CALG_SHA_256, 0, 0, &probe)) {
    CryptDestroyHash(probe);
    key->sha2 = true;
    return;
  }
  DWORD size = 0;
  if (!CertGetCertificateContextProperty(key->certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) || size == 0) return;
  std::vector<unsigned char> buffer(size);
  auto* info = reinterpret_cast<CRYPT_KEY_PROV_INFO*>(buffer.data());
  if (!CertGetCertificateContextProperty(key->certificate, CERT_KEY_PROV_INFO_PROP_ID, info, &size)) return;
  if (info->dwProvType != PROV_RSA_FULL || info->pwszContainerName == nullptr) return;
  HCRYPTPROV reopened = 0;
  if (!CryptAcquireContextW(&reopened, info->pwszContainerName, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                            (info->dwFlags & CRYPT_MACHINE_KEYSET) | CRYPT_SILENT)) {
    return;
  }
  if (CryptCreateHash(reopened, CALG_SHA_256, 0, 0, &probe)) {
    CryptDestroyHash(probe);
    key->sha2Provider = reopened;
    key->sha2 = true;
    return;
  }
  CryptReleaseContext(reopened, 0);
}

// The container's key pair CryptSignHash names: AT_KEYEXCHANGE or AT_SIGNATURE. The certificate's
// key information may say otherwise (Wine's PFXImportCertStore records 3): then whichever pair
// the container holds, key exchange first.
DWORD CapiKeySpec(HCRYPTPROV provider, DWORD recorded) {
  if (recorded == AT_KEYEXCHANGE || recorded == AT_SIGNATURE) return recorded;
  for (DWORD spec : {static_cast<DWORD>(AT_KEYEXCHANGE), static_cast<DWORD>(AT_SIGNATURE)}) {
    HCRYPTKEY pair = 0;
    if (CryptGetUserKey(provider, spec, &pair)) {
      CryptDestroyKey(pair);
      return spec;
    }
  }
  return recorded;
}

struct Pcerts {
  std::vector<gnutls_pcert_st> list;
  ~Pcerts() {
    for (gnutls_pcert_st& pcert : list) gnutls_pcert_deinit(&pcert);
  }
};
}  // namespace

std::uint16_t SetStoreCertificate(gnutls_certificate_credentials_t target, const StoreCertificate& ref,
                                  const char* methodName) {
  const Refusal refuse{methodName, ref};
  const DWORD location = ref.location == StoreLocation::kLocalMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE
                                                                      : CERT_SYSTEM_STORE_CURRENT_USER;
  const std::wstring storeName = Wide(ref.store);
  Store store;
  store.handle = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                               location | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG, storeName.c_str());
  if (store.handle == nullptr) {
    const DWORD code = GetLastError();
    throw refuse(code != 0 ? code : kCryptNotFound, "cannot be looked up: CertOpenStore failed (" + Hex32(code) + ")",
                 "Name a store that exists (My is the personal store)");
  }
  StoreKey* key = new StoreKey;
  std::unique_ptr<StoreKey> owned(key);
  key->certificate = FindCertificate(store.handle, ref, refuse);

  HCRYPTPROV_OR_NCRYPT_KEY_HANDLE handle = 0;
  DWORD keySpec = 0;
  BOOL callerFrees = FALSE;
  // CNG where the key allows it (Windows opens a CryptoAPI key of its own providers through CNG
  // too), silent: a key that needs a PIN or a consent dialog fails instead of waiting for a user.
  if (!CryptAcquireCertificatePrivateKey(key->certificate, CRYPT_ACQUIRE_PREFER_NCRYPT_KEY_FLAG | CRYPT_ACQUIRE_SILENT_FLAG,
                                         nullptr, &handle, &keySpec, &callerFrees)) {
    const DWORD code = GetLastError();
    throw refuse(code != 0 ? code : kCryptNoKeyProperty,
                 "has no private key this process can use: CryptAcquireCertificatePrivateKey failed (" + Hex32(code) + ")",
                 "Import the certificate together with its private key (a PKCS#12) into that store, as the user "
                 "that runs the peer");
  }
  key->callerFrees = callerFrees != FALSE;
  key->keySpec = keySpec;
  if (keySpec == CERT_NCRYPT_KEY_SPEC) {
    key->ncrypt = static_cast<NCRYPT_KEY_HANDLE>(handle);
  } else {
    key->capi = static_cast<HCRYPTPROV>(handle);
    FindSha2Provider(key);
    key->keySpec = CapiKeySpec(key->Provider(), keySpec);
  }

  const CERT_PUBLIC_KEY_INFO& publicKey = key->certificate->pCertInfo->SubjectPublicKeyInfo;
  if (publicKey.Algorithm.pszObjId == nullptr || std::strcmp(publicKey.Algorithm.pszObjId, szOID_RSA_RSA) != 0) {
    throw refuse(eap::kErrorNotSupported, std::string("has a ") +
                                              (publicKey.Algorithm.pszObjId ? publicKey.Algorithm.pszObjId : "?") +
                                              " key; a store key must be RSA",
                 "Use an RSA certificate, or give an EC one as PEM or PKCS#12");
  }
  key->bits = CertGetPublicKeyLength(kEncoding, const_cast<CERT_PUBLIC_KEY_INFO*>(&publicKey));

  Pcerts pcerts;
  for (const std::vector<unsigned char>& der : ChainOf(key->certificate)) {
    gnutls_pcert_st pcert{};
    const gnutls_datum_t datum{const_cast<unsigned char*>(der.data()), static_cast<unsigned int>(der.size())};
    if (gnutls_pcert_import_x509_raw(&pcert, &datum, GNUTLS_X509_FMT_DER, 0) < 0) break;
    pcerts.list.push_back(pcert);
  }
  if (pcerts.list.empty()) throw refuse(kCryptNotFound, "could not be read by GnuTLS", std::string());

  gnutls_privkey_t privkey = nullptr;
  int rc = gnutls_privkey_init(&privkey);
  if (rc < 0) throw InternalFailure("GnuTLS could not make a private key");
  // No decryption: a peer's key only signs (a store key is refused for an authenticator).
  rc = gnutls_privkey_import_ext4(privkey, key, SignData, SignHash, nullptr, Release, Info, 0);
  if (rc < 0) {
    gnutls_privkey_deinit(privkey);
    throw refuse(kCryptNoKeyProperty, std::string("could not be handed to GnuTLS (") + gnutls_strerror(rc) + ")", std::string());
  }
  owned.release();  // GnuTLS's now: Release frees it with the key
  // Takes over the key and the pcerts' contents on success. (An external key is not test-signed
  // here: a key that is not the certificate's fails the handshake, at the server's check.)
  rc = gnutls_certificate_set_key(target, nullptr, 0, pcerts.list.data(), static_cast<int>(pcerts.list.size()), privkey);
  if (rc < 0) {
    const DWORD signError = key->lastError;
    const bool capiOnly = key->ncrypt == 0;
    gnutls_privkey_deinit(privkey);
    throw refuse(signError != 0 ? signError : kCryptNoKeyProperty,
                 std::string("could not be set up with its key (") + gnutls_strerror(rc) +
                     (signError != 0 ? std::string(capiOnly ? "; CryptSignHash " : "; NCryptSignHash ") + Hex32(signError)
                                     : std::string()) + ")",
                 std::string());
  }
  pcerts.list.clear();  // their contents are the credentials' now
  // TLS 1.3 signs with RSA-PSS only, which CryptSignHash cannot make.
  return key->ncrypt != 0 ? kTls13 : kTls12;
}

}  // namespace tls
}  // namespace eaphost
