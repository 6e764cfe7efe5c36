#include "user_certificate_store.h"

#include <windows.h>
#include <wincrypt.h>

#include "../common/secure_zero.h"
#include "../common/utf16.h"

namespace eaphost {

namespace {

EapErrorInfo StoreError(const char* call, const std::string& what) {
  DWORD code = GetLastError();
  return HostError(code != 0 ? code : eap::kErrorInvalidState, call,
                   what + " (Win32 error " + std::to_string(code) + ")");
}

HCERTSTORE OpenMy(bool writable) {
  DWORD flags = CERT_SYSTEM_STORE_CURRENT_USER | (writable ? 0 : CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG);
  return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, L"My");
}

bool HasKey(PCCERT_CONTEXT certificate) {
  DWORD size = 0;
  return CertGetCertificateContextProperty(certificate, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) != FALSE;
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
HCERTSTORE ImportPfx(const Bytes& pkcs12, const std::string& password) {
  CRYPT_DATA_BLOB blob{static_cast<DWORD>(pkcs12.size()), const_cast<BYTE*>(pkcs12.data())};
  std::u16string text = Utf8ToUtf16(password);
  std::wstring wide(text.begin(), text.end());
  SecureZeroContents(text);
  WipeOnExit<std::wstring> wipe(wide);
  HCERTSTORE store = PFXImportCertStore(&blob, wide.c_str(), CRYPT_USER_KEYSET);
  if (store == nullptr && wide.empty()) store = PFXImportCertStore(&blob, nullptr, CRYPT_USER_KEYSET);
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

}  // namespace

bool ImportUserPkcs12(const Bytes& pkcs12, std::string* password, std::vector<std::string>* thumbprints,
                      EapErrorInfo* error) {
  WipeOnExit<std::string> wipePassword(*password);
  if (pkcs12.empty() || pkcs12.size() > 0xFFFFFF) {
    *error = HostError(ERROR_INVALID_PARAMETER, "PFXImportCertStore", "a PKCS#12 is 1 byte to 16 MiB");
    return false;
  }
  HCERTSTORE imported = ImportPfx(pkcs12, *password);
  if (imported == nullptr) {
    *error = ImportError(pkcs12, *password);
    return false;
  }
  HCERTSTORE my = OpenMy(true);
  if (my == nullptr) {
    *error = StoreError("CertOpenStore", "cannot open CurrentUser\\My for writing");
    CertCloseStore(imported, 0);
    return false;
  }
  bool ok = true;
  // Only what comes with its private key is the client's certificate; the chain's CAs belong
  // in Root (an explicit, separate decision) or nowhere.
  for (PCCERT_CONTEXT certificate = CertEnumCertificatesInStore(imported, nullptr); certificate != nullptr;
       certificate = CertEnumCertificatesInStore(imported, certificate)) {
    if (!HasKey(certificate)) continue;
    if (!CertAddCertificateContextToStore(my, certificate, CERT_STORE_ADD_REPLACE_EXISTING, nullptr)) {
      *error = StoreError("CertAddCertificateContextToStore", "the client certificate was not added to CurrentUser\\My");
      CertFreeCertificateContext(certificate);
      ok = false;
      break;
    }
    thumbprints->push_back(Thumbprint(certificate));
  }
  if (ok && thumbprints->empty()) {
    *error = HostError(ERROR_NOT_FOUND, "PFXImportCertStore", "the PKCS#12 holds no certificate with its private key");
    ok = false;
  }
  CertCloseStore(my, 0);
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
