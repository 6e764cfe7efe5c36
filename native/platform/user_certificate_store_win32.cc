#include "user_certificate_store.h"

#include <windows.h>
#include <wincrypt.h>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "win32_text_errors.h"

#include <vector>

namespace eaphost {

namespace {

HCERTSTORE OpenMy(bool writable) {
  DWORD flags = CERT_SYSTEM_STORE_CURRENT_USER | (writable ? 0 : CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG);
  return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, L"My");
}

bool HasKey(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  return CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) != FALSE;
}

// A key linked to the certificate however the import linked it: a persisted container
// (CERT_KEY_PROV_INFO_PROP_ID) or, under PKCS12_NO_PERSIST_KEY, a handle the context holds.
bool HasAnyKey(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  return HasKey(certificate) ||
         CertGetCertificateContextProperty(certificate, CERT_KEY_CONTEXT_PROP_ID, nullptr, &size) != FALSE ||
         CertGetCertificateContextProperty(certificate, CERT_NCRYPT_KEY_HANDLE_PROP_ID, nullptr, &size) != FALSE;
}

// ncrypt.dll is reached at run time, from System32: the addon imports no ncrypt for the one
// case of a CNG container to delete.
bool DeleteCngKey(const CRYPT_KEY_PROV_INFO& info) {
  HMODULE ncrypt = LoadLibraryExW(L"ncrypt.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (ncrypt == nullptr) return false;
  using OpenProvider = LONG(WINAPI*)(ULONG_PTR*, LPCWSTR, DWORD);
  using OpenKey = LONG(WINAPI*)(ULONG_PTR, ULONG_PTR*, LPCWSTR, DWORD, DWORD);
  using DeleteKey = LONG(WINAPI*)(ULONG_PTR, DWORD);
  using FreeObject = LONG(WINAPI*)(ULONG_PTR);
  const auto openProvider =
      reinterpret_cast<OpenProvider>(reinterpret_cast<void (*)()>(GetProcAddress(ncrypt, "NCryptOpenStorageProvider")));
  const auto openKey = reinterpret_cast<OpenKey>(reinterpret_cast<void (*)()>(GetProcAddress(ncrypt, "NCryptOpenKey")));
  const auto deleteKey = reinterpret_cast<DeleteKey>(reinterpret_cast<void (*)()>(GetProcAddress(ncrypt, "NCryptDeleteKey")));
  const auto freeObject = reinterpret_cast<FreeObject>(reinterpret_cast<void (*)()>(GetProcAddress(ncrypt, "NCryptFreeObject")));
  bool deleted = false;
  ULONG_PTR provider = 0;
  if (openProvider != nullptr && openKey != nullptr && deleteKey != nullptr && freeObject != nullptr &&
      openProvider(&provider, info.pwszProvName, 0) == ERROR_SUCCESS) {
    constexpr DWORD kMachineKey = 0x20;   // NCRYPT_MACHINE_KEY_FLAG
    constexpr DWORD kSilent = 0x40;       // NCRYPT_SILENT_FLAG
    const DWORD legacySpec = info.dwKeySpec == AT_KEYEXCHANGE || info.dwKeySpec == AT_SIGNATURE ? info.dwKeySpec : 0;
    ULONG_PTR key = 0;
    if (openKey(provider, &key, info.pwszContainerName, legacySpec,
                ((info.dwFlags & CRYPT_MACHINE_KEYSET) != 0 ? kMachineKey : 0) | kSilent) == ERROR_SUCCESS) {
      deleted = deleteKey(key, kSilent) == ERROR_SUCCESS;  // frees the handle when it succeeds
      if (!deleted) freeObject(key);
    }
    freeObject(provider);
  }
  FreeLibrary(ncrypt);
  return deleted;
}

// Deletes the key container PFXImportCertStore made for `certificate`, as its key information
// names it: NCryptDeleteKey for a CNG key (dwProvType 0), CryptAcquireContextW with
// CRYPT_DELETEKEYSET for a CryptoAPI one.
void DeleteImportedKey(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  if (!CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) || size == 0) return;
  std::vector<unsigned char> buffer(size);
  auto* info = reinterpret_cast<CRYPT_KEY_PROV_INFO*>(buffer.data());
  if (!CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, info, &size) ||
      info->pwszContainerName == nullptr) {
    return;
  }
  if (info->dwProvType == 0) {
    DeleteCngKey(*info);
    return;
  }
  HCRYPTPROV gone = 0;  // CRYPT_DELETEKEYSET hands back no provider
  CryptAcquireContextW(&gone, info->pwszContainerName, info->pwszProvName, info->dwProvType,
                       CRYPT_DELETEKEYSET | (info->dwFlags & CRYPT_MACHINE_KEYSET) | CRYPT_SILENT);
}

std::string Thumbprint(PCCERT_CONTEXT certificate) {
  BYTE hash[20] = {};
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(certificate, CERT_SHA1_HASH_PROP_ID, hash, &size) || size != sizeof hash) return std::string();
  static const char kDigits[] = "0123456789ABCDEF";
  std::string text;
  for (BYTE b : hash) {
    text.push_back(kDigits[b >> 4]);
    text.push_back(kDigits[b & 0xF]);
  }
  return text;
}

// PFXImportCertStore on the password as Windows takes it. An empty password is tried as "" and
// as none: PKCS#12 writers disagree about which one "no password" means.
HCERTSTORE ImportPfx(const Bytes& pkcs12, const std::string& password, DWORD flags) {
  CRYPT_DATA_BLOB blob{static_cast<DWORD>(pkcs12.size()), const_cast<BYTE*>(pkcs12.data())};
  std::u16string text = Utf8ToUtf16(password);
  std::wstring wide(text.begin(), text.end());
  SecureZeroContents(text);
  WipeOnExit<std::wstring> wipe(wide);
  HCERTSTORE store = PFXImportCertStore(&blob, wide.c_str(), CRYPT_USER_KEYSET | flags);
  if (store == nullptr && wide.empty()) store = PFXImportCertStore(&blob, nullptr, CRYPT_USER_KEYSET | flags);
  return store;
}

// Why PFXImportCertStore failed. Windows sets the error itself (ERROR_INVALID_PASSWORD for a
// wrong password); where it sets none (Wine's crypt32), the blob is asked whether it is a
// PKCS#12 at all and whether the password opens it.
EapErrorInfo ImportError(const Bytes& pkcs12, const std::string& password) {
  DWORD code = GetLastError();
  if (code == 0) {
    CRYPT_DATA_BLOB blob{static_cast<DWORD>(pkcs12.size()), const_cast<BYTE*>(pkcs12.data())};
    if (!PFXIsPFXBlob(&blob)) {
      code = ERROR_INVALID_DATA;
    } else {
      std::u16string text = Utf8ToUtf16(password);
      std::wstring wide(text.begin(), text.end());
      SecureZeroContents(text);
      WipeOnExit<std::wstring> wipe(wide);
      code = PFXVerifyPassword(&blob, wide.c_str(), 0) ? static_cast<DWORD>(eap::kErrorInvalidState) : static_cast<DWORD>(ERROR_INVALID_PASSWORD);
    }
  }
  const char* what = code == ERROR_INVALID_PASSWORD ? "the PKCS#12 password is wrong"
                     : code == ERROR_INVALID_DATA   ? "this is not a PKCS#12"
                                                    : "the PKCS#12 could not be imported";
  return HostError(code, "PFXImportCertStore", what);
}

// Whether the PKCS#12 links a key to any certificate, read by an import that persists no key:
// PFXImportCertStore persists every key it reads, and one no certificate links to could never
// be found again to delete.
bool LinksAKey(HCERTSTORE probe) {
  bool linked = false;
  for (PCCERT_CONTEXT certificate = CertEnumCertificatesInStore(probe, nullptr); certificate != nullptr;
       certificate = CertEnumCertificatesInStore(probe, certificate)) {
    linked = linked || HasAnyKey(certificate);
  }
  return linked;
}

}  // namespace

bool ImportUserPkcs12(const Bytes& pkcs12, std::string* password, std::vector<std::string>* thumbprints,
                      EapErrorInfo* error) {
  WipeOnExit<std::string> wipePassword(*password);
  if (pkcs12.empty() || pkcs12.size() > 0xFFFFFF) {
    *error = HostError(ERROR_INVALID_PARAMETER, "PFXImportCertStore", "a PKCS#12 is 1 byte to 16 MiB");
    return false;
  }
  HCERTSTORE probe = ImportPfx(pkcs12, *password, PKCS12_NO_PERSIST_KEY);
  if (probe == nullptr) {
    *error = ImportError(pkcs12, *password);
    return false;
  }
  const bool linked = LinksAKey(probe);
  CertCloseStore(probe, 0);
  if (!linked) {
    *error = HostError(ERROR_NOT_FOUND, "PFXImportCertStore", "the PKCS#12 holds no certificate with its private key");
    return false;
  }
  HCERTSTORE imported = ImportPfx(pkcs12, *password, 0);
  if (imported == nullptr) {
    *error = ImportError(pkcs12, *password);
    return false;
  }
  HCERTSTORE my = OpenMy(true);
  bool ok = my != nullptr;
  if (!ok) *error = LastWin32Error("CertOpenStore", "cannot open CurrentUser\\My for writing");
  std::vector<PCCERT_CONTEXT> added;  // ours, in My, for the way back
  // Only what comes with its private key is the client's certificate; the chain's CAs belong
  // in Root (an explicit, separate decision) or nowhere.
  for (PCCERT_CONTEXT certificate = ok ? CertEnumCertificatesInStore(imported, nullptr) : nullptr; certificate != nullptr;
       certificate = CertEnumCertificatesInStore(imported, certificate)) {
    if (!HasKey(certificate)) continue;
    PCCERT_CONTEXT inMy = nullptr;
    if (!CertAddCertificateContextToStore(my, certificate, CERT_STORE_ADD_REPLACE_EXISTING, &inMy)) {
      *error = LastWin32Error("CertAddCertificateContextToStore", "the client certificate was not added to CurrentUser\\My");
      CertFreeCertificateContext(certificate);
      ok = false;
      break;
    }
    added.push_back(inMy);
    thumbprints->push_back(Thumbprint(certificate));
  }
  if (ok && thumbprints->empty()) {
    *error = HostError(ERROR_NOT_FOUND, "PFXImportCertStore", "the PKCS#12 holds no certificate with its private key");
    ok = false;
  }
  // A failed import leaves nothing behind: the certificates it added and every key container
  // it made (docs/WINDOWS-CONTRACT.md, "Profile installation").
  for (PCCERT_CONTEXT inMy : added) {
    if (ok) CertFreeCertificateContext(inMy);
    else CertDeleteCertificateFromStore(inMy);  // frees the context, whether it succeeds or not
  }
  if (!ok) {
    thumbprints->clear();
    for (PCCERT_CONTEXT certificate = CertEnumCertificatesInStore(imported, nullptr); certificate != nullptr;
         certificate = CertEnumCertificatesInStore(imported, certificate)) {
      DeleteImportedKey(certificate);
    }
  }
  if (my != nullptr) CertCloseStore(my, 0);
  CertCloseStore(imported, 0);
  return ok;
}

bool FindUserCertificate(const Bytes& sha1, bool* found, bool* hasKey, EapErrorInfo* error) {
  if (sha1.size() != 20) {
    *error = HostError(ERROR_INVALID_PARAMETER, "CertFindCertificateInStore", "a SHA-1 thumbprint is 20 bytes");
    return false;
  }
  *found = false;
  *hasKey = false;
  HCERTSTORE my = OpenMy(false);
  if (my == nullptr) return true;  // a user who never had a personal store holds nothing
  CRYPT_HASH_BLOB hash{static_cast<DWORD>(sha1.size()), const_cast<BYTE*>(sha1.data())};
  PCCERT_CONTEXT certificate =
      CertFindCertificateInStore(my, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hash, nullptr);
  if (certificate != nullptr) {
    *found = true;
    *hasKey = HasKey(certificate);
    CertFreeCertificateContext(certificate);
  }
  CertCloseStore(my, 0);
  return true;
}

}  // namespace eaphost
