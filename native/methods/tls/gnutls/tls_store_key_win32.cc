#include "tls_store_key.h"

#include "tls_store_lookup.h"  // windows.h first

#include <ncrypt.h>

#include "gnutls_headers.h"

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
#include "tls_cng_sign.h"
#include "tls_rsa_schemes.h"
#include "tls_store_rules.h"

// Who frees what (docs/WINDOWS-CONTRACT.md, "Certificates from the store"): the certificate's
// look-up in tls_store_lookup_win32.cc; here the key, as CryptAcquireCertificatePrivateKey's pfCallerFree says:
// NCryptFreeObject for a CNG key, CryptReleaseContext for a CryptoAPI provider, nothing when
// the flag is FALSE (the certificate context owns the handle: we keep our copy of the context
// until the key goes).

namespace eaphost {
namespace tls {

namespace {

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
  PssSupport pss = PssSupport::kCryptoApi;  // whether the provider makes TLS 1.3's RSA-PSS
  // CryptoAPI providers are not documented as safe for concurrent use of one handle.
  std::mutex capiMutex;
  std::atomic<DWORD> lastError{0};  // the last signing call's failure, for the load error
  // The session user's token (our duplicate) when the key is a CurrentUser one opened as that
  // user: every signature runs as the user too, so a smart card or a DPAPI-protected user key
  // answers as it did when the key was opened (the service's own account would not see it).
  HANDLE signAs = nullptr;

  ~StoreKey() {
    if (signAs != nullptr) CloseHandle(signAs);
    if (sha2Provider != 0) CryptReleaseContext(sha2Provider, 0);
    if (callerFrees && ncrypt != 0) NCryptFreeObject(ncrypt);
    if (callerFrees && capi != 0) CryptReleaseContext(capi, 0);
    if (certificate != nullptr) CertFreeCertificateContext(certificate);
  }
  HCRYPTPROV Provider() const { return sha2Provider != 0 ? sha2Provider : capi; }
};

ALG_ID CapiHash(StoreHash hash, bool sha2) {
  switch (hash) {
    case StoreHash::kSha1: return CALG_SHA1;
    case StoreHash::kSha256: return sha2 ? CALG_SHA_256 : 0;
    case StoreHash::kSha384: return sha2 ? CALG_SHA_384 : 0;
    case StoreHash::kSha512: return sha2 ? CALG_SHA_512 : 0;
    default: return 0;
  }
}

// What this key signs: CNG PKCS#1 v1.5 over SHA-1 and SHA-2 (CNG names no SHA-224), and RSA-PSS
// where its provider makes TLS 1.3's (tls_store_rules.h); CryptoAPI PKCS#1 v1.5 over the hashes
// its provider has, never PSS. A DigestInfo GnuTLS hands over as it is (GNUTLS_SIGN_RSA_RAW: its
// TLS 1.2 PKCS#1 signatures come this way) is signed as the hash it carries, named.
bool Signs(const StoreKey& key, const RsaScheme& scheme) {
  if (key.ncrypt != 0) return CngSigns(scheme, key.pss == PssSupport::kSigns);
  if (!scheme.known) return false;
  if (scheme.digest == GNUTLS_DIG_UNKNOWN) return !scheme.pss;
  return !scheme.pss && CapiHash(StoreHashOf(scheme.digest), key.sha2) != 0;
}

int SignCng(StoreKey& key, const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  LONG failure = 0;
  const int rc = CngSignHash(scheme, hash, signature, NCRYPT_SILENT_FLAG,
                              [&key](void* padding, BYTE* data, ULONG size, BYTE* out, ULONG room, ULONG* written, ULONG flags) {
                                return static_cast<LONG>(NCryptSignHash(key.ncrypt, padding, data, size, out, room, written, flags));
                              },
                              &failure);
  if (failure != 0) key.lastError = static_cast<DWORD>(failure);
  return rc;
}

int SignCapi(StoreKey& key, const RsaScheme& scheme, const gnutls_datum_t* hash, gnutls_datum_t* signature) {
  const Pkcs1Input input = Pkcs1InputOf(StoreHashOf(scheme.digest), hash->data, hash->size);
  const ALG_ID algorithm = CapiHash(input.hash, key.sha2);
  if (algorithm == 0) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
  std::lock_guard<std::mutex> lock(key.capiMutex);
  HCRYPTHASH handle = 0;
  if (!CryptCreateHash(key.Provider(), algorithm, 0, 0, &handle)) {
    key.lastError = GetLastError();
    return GNUTLS_E_PK_SIGN_FAILED;
  }
  DWORD size = 0;
  unsigned char* out = nullptr;
  bool ok = CryptSetHashParam(handle, HP_HASHVAL, hash->data + input.offset, 0) &&
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
  const ThreadAsUser asUser(key.signAs);
  if (asUser.error() != 0) {
    key.lastError = asUser.error();
    return GNUTLS_E_PK_SIGN_FAILED;
  }
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

// The Platform Crypto Provider's key property naming its TPM's PSS salt rule (ncrypt.h's
// NCRYPT_PCP_PSS_SALT_SIZE_PROPERTY, newer than mingw-w64's header).
constexpr wchar_t kPcpPssSaltSizeProperty[] = L"PSS Salt Size";

// Whether a CNG key makes TLS 1.3's RSA-PSS, from its provider's name and, for a TPM, its salt
// rule (tls_store_rules.h). A provider whose name cannot be read is not trusted with PSS.
PssSupport CngPssSupport(NCRYPT_KEY_HANDLE key) {
  NCRYPT_PROV_HANDLE provider = 0;
  DWORD size = 0;
  if (NCryptGetProperty(key, NCRYPT_PROVIDER_HANDLE_PROPERTY, reinterpret_cast<PBYTE>(&provider), sizeof provider, &size,
                        NCRYPT_SILENT_FLAG) != ERROR_SUCCESS || size != sizeof provider || provider == 0) {
    return PssSupport::kProviderUnknown;
  }
  wchar_t name[256] = {};
  size = 0;
  const SECURITY_STATUS named = NCryptGetProperty(provider, NCRYPT_NAME_PROPERTY, reinterpret_cast<PBYTE>(name),
                                                  sizeof name - sizeof(wchar_t), &size, NCRYPT_SILENT_FLAG);
  NCryptFreeObject(provider);  // the property hands out a handle of the caller's
  if (named != ERROR_SUCCESS) return PssSupport::kProviderUnknown;
  const StoreProvider kind = StoreProviderNamed(name);
  DWORD saltRule = 0;
  size = 0;
  const bool saltRead = kind == StoreProvider::kPlatform &&
                        NCryptGetProperty(key, kPcpPssSaltSizeProperty, reinterpret_cast<PBYTE>(&saltRule), sizeof saltRule,
                                          &size, NCRYPT_SILENT_FLAG) == ERROR_SUCCESS && size == sizeof saltRule;
  return StorePssSupport(kind, saltRead, saltRule);
}

struct Pcerts {
  std::vector<gnutls_pcert_st> list;
  ~Pcerts() {
    for (gnutls_pcert_st& pcert : list) gnutls_pcert_deinit(&pcert);
  }
};
}  // namespace

std::string StoreCertificateUser(const StoreCertificate& ref, eap::HANDLE userToken) {
  return StoreUserKey(ref, userToken);
}

StoreKeyLimit SetStoreCertificate(gnutls_certificate_credentials_t target, const StoreCertificate& ref,
                                  const char* methodName, eap::HANDLE userToken) {
  const StoreRefusal refuse{methodName, ref};
  // The store, the key and the chain are reached as the session's user, and every signature with
  // the key opened here runs as that user too (StoreKey::signAs).
  const StoreUserScope asUser(ref, userToken, refuse);
  const OpenStore store(ref, refuse);
  StoreKey* key = new StoreKey;
  std::unique_ptr<StoreKey> owned(key);
  if (asUser.userToken() != nullptr &&
      !DuplicateHandle(GetCurrentProcess(), asUser.userToken(), GetCurrentProcess(), &key->signAs, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
    const DWORD code = GetLastError();
    throw refuse(code != 0 ? code : kCryptNoKeyProperty,
                 "cannot be kept for signing as the session's user: DuplicateHandle failed (" + Hex32(code) + ")", std::string());
  }
  key->certificate = FindStoreCertificate(store.get(), ref, refuse);

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
    key->pss = CngPssSupport(key->ncrypt);
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
  key->bits = CertGetPublicKeyLength(kCertificateEncoding, const_cast<CERT_PUBLIC_KEY_INFO*>(&publicKey));

  Pcerts pcerts;
  for (const std::vector<unsigned char>& der : StoreChainOf(key->certificate)) {
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
  // TLS 1.3 signs with RSA-PSS only: without it the peer stays at TLS 1.2, saying why.
  StoreKeyLimit limit;
  if (key->pss != PssSupport::kSigns) {
    limit.tlsMax = kTls12;
    limit.whyTls12 = PssRefusalText(key->pss);
  }
  return limit;
}

}  // namespace tls
}  // namespace eaphost
