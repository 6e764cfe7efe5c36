#include "root_store.h"

#include <windows.h>
#include <wincrypt.h>

namespace eaphost {

namespace {

// The logical Root store of a location, read-only: what Windows trusts from there.
HCERTSTORE OpenRoot(DWORD location) {
  DWORD flags = location | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG;
  return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, L"Root");
}

EapErrorInfo StoreError(const char* call, const std::string& what) {
  DWORD code = GetLastError();
  return HostError(code != 0 ? code : eap::kErrorInvalidState, call, what + " (Win32 error " + std::to_string(code) + ")");
}

bool IsThumbprint(const Bytes& sha1, const char* call, EapErrorInfo* error) {
  if (sha1.size() == 20) return true;
  *error = HostError(eap::kErrorInvalidParameter, call, "a SHA-1 thumbprint is 20 bytes");
  return false;
}

// The store's certificate with this SHA-1 thumbprint, or nullptr (freed by the caller with
// CertFreeCertificateContext, or consumed by CertDeleteCertificateFromStore).
PCCERT_CONTEXT FindBySha1(HCERTSTORE store, const Bytes& sha1) {
  CRYPT_HASH_BLOB hash{static_cast<DWORD>(sha1.size()), const_cast<BYTE*>(sha1.data())};
  return CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &hash, nullptr);
}

// The location's own registry store, not the logical store's collection: what is added goes there,
// and a removal deletes it there (through the collection, Wine deletes nothing).
HCERTSTORE OpenRootForWriting(bool localMachine, EapErrorInfo* error) {
  DWORD location = localMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE : CERT_SYSTEM_STORE_CURRENT_USER;
  HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0, location, L"Root");
  if (store == nullptr) {
    *error = StoreError("CertOpenStore", std::string("cannot open ") + (localMachine ? "LocalMachine" : "CurrentUser") +
                                             "\\Root for writing" + (localMachine ? "; it needs an administrator" : ""));
  }
  return store;
}

}  // namespace

bool FindRootCertificate(const Bytes& sha1, std::vector<std::string>* stores, EapErrorInfo* error) {
  if (!IsThumbprint(sha1, "CertFindCertificateInStore", error)) return false;
  const struct {
    DWORD location;
    const char* name;
  } kStores[] = {{CERT_SYSTEM_STORE_LOCAL_MACHINE, "LocalMachine"}, {CERT_SYSTEM_STORE_CURRENT_USER, "CurrentUser"}};
  for (const auto& root : kStores) {
    HCERTSTORE store = OpenRoot(root.location);
    if (store == nullptr) continue;  // a store that cannot be opened holds nothing we can trust
    PCCERT_CONTEXT found = FindBySha1(store, sha1);
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
  HCERTSTORE store = OpenRootForWriting(localMachine, error);
  if (store == nullptr) return false;
  BOOL added = CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der.data(), static_cast<DWORD>(der.size()),
                                                CERT_STORE_ADD_USE_EXISTING, nullptr);
  if (!added) *error = StoreError(kCall, "the certificate was not added (declined, or not a valid X.509 certificate)");
  CertCloseStore(store, 0);
  return added != FALSE;
}

bool RemoveRootCertificate(const Bytes& sha1, bool localMachine, bool* removed, EapErrorInfo* error) {
  *removed = false;
  if (!IsThumbprint(sha1, "CertDeleteCertificateFromStore", error)) return false;
  HCERTSTORE store = OpenRootForWriting(localMachine, error);
  if (store == nullptr) return false;
  bool ok = true;
  // CertDeleteCertificateFromStore frees the context it is given, whether it succeeds or not.
  PCCERT_CONTEXT found = FindBySha1(store, sha1);
  if (found != nullptr) {
    ok = CertDeleteCertificateFromStore(found) != FALSE;
    if (ok) *removed = true;
    else *error = StoreError("CertDeleteCertificateFromStore", std::string("the certificate was not removed from ") +
                                                                    (localMachine ? "LocalMachine" : "CurrentUser") + "\\Root");
  }
  CertCloseStore(store, 0);
  return ok;
}

}  // namespace eaphost
