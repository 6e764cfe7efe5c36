#include "root_store.h"

#include <windows.h>
#include <wincrypt.h>

namespace eaphost {

namespace {

HCERTSTORE OpenRoot(DWORD location, bool writable) {
  // Reading needs the store to exist; writing may create it (a profile that never opened its
  // Root store has none yet — a fresh Wine prefix; on Windows it always exists).
  DWORD flags = location | (writable ? 0 : CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG);
  return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, L"Root");
}

EapErrorInfo StoreError(const char* call, const std::string& what) {
  DWORD code = GetLastError();
  return HostError(code != 0 ? code : eap::kErrorInvalidState, call, what + " (Win32 error " + std::to_string(code) + ")");
}

}  // namespace

bool FindRootCertificate(const Bytes& sha1, std::vector<std::string>* stores, EapErrorInfo* error) {
  if (sha1.size() != 20) {
    *error = HostError(eap::kErrorInvalidParameter, "CertFindCertificateInStore", "a SHA-1 thumbprint is 20 bytes");
    return false;
  }
  const struct {
    DWORD location;
    const char* name;
  } kStores[] = {{CERT_SYSTEM_STORE_LOCAL_MACHINE, "LocalMachine"}, {CERT_SYSTEM_STORE_CURRENT_USER, "CurrentUser"}};
  for (const auto& root : kStores) {
    HCERTSTORE store = OpenRoot(root.location, false);
    if (store == nullptr) continue;  // a store that cannot be opened holds nothing we can trust
    CRYPT_HASH_BLOB hash{static_cast<DWORD>(sha1.size()), const_cast<BYTE*>(sha1.data())};
    PCCERT_CONTEXT found =
        CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hash, nullptr);
    if (found != nullptr) {
      stores->push_back(root.name);
      CertFreeCertificateContext(found);
    }
    CertCloseStore(store, 0);
  }
  return true;
}

bool InstallRootCertificate(const Bytes& der, bool localMachine, EapErrorInfo* error) {
  constexpr const char* kCall = "CertAddEncodedCertificateToStore";
  HCERTSTORE store = OpenRoot(localMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE : CERT_SYSTEM_STORE_CURRENT_USER, true);
  if (store == nullptr) {
    *error = StoreError("CertOpenStore", std::string("cannot open ") + (localMachine ? "LocalMachine" : "CurrentUser") +
                                             "\\Root for writing" + (localMachine ? "; it needs an administrator" : ""));
    return false;
  }
  BOOL added = CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der.data(), static_cast<DWORD>(der.size()),
                                                CERT_STORE_ADD_USE_EXISTING, nullptr);
  if (!added) *error = StoreError(kCall, "the certificate was not added (declined, or not a valid X.509 certificate)");
  CertCloseStore(store, 0);
  return added != FALSE;
}

}  // namespace eaphost
