#include "root_store.h"

#include <windows.h>
#include <wincrypt.h>

#include "root_store_rules.h"
#include "win32_text_errors.h"

#include <cstdio>
#include <string>

namespace eaphost {

namespace {

// The logical Root store of a location, read-only: what Windows trusts from there.
HCERTSTORE OpenRoot(DWORD location) {
  DWORD flags = location | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG;
  return CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, L"Root");
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
    *error = LastWin32Error("CertOpenStore", std::string("cannot open ") + (localMachine ? "LocalMachine" : "CurrentUser") +
                                             "\\Root for writing" + (localMachine ? "; it needs an administrator" : ""));
  }
  return store;
}

constexpr DWORD kErrorAccessDisabledByPolicy = 1260;          // ERROR_ACCESS_DISABLED_BY_POLICY
constexpr DWORD kErrorRequiresInteractiveStation = 1459;      // ERROR_REQUIRES_INTERACTIVE_WINDOWSTATION
static_assert(kProtectedRootsDisableCurrentUser == CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG, "wincrypt.h's value");
static_assert(kWindowStationVisible == WSF_VISIBLE, "winuser.h's value");

// The policy named as an administrator finds it, with the raw value read.
std::string ProtectedRootsPolicy(DWORD flags) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%lX", static_cast<unsigned long>(flags));
  return std::string("a Group Policy disallows user-trusted root CAs (Certificate Path Validation Settings: \"Allow user "
                     "trusted root CAs to be used to validate certificates\" cleared; HKLM\\") +
         "Software\\Policies\\Microsoft\\SystemCertificates\\Root\\ProtectedRoots, Flags " + hex +
         ", CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG 0x1 set)";
}

// The ProtectedRoots policy's Flags; false when no policy sets it.
bool ProtectedRootsFlags(DWORD* flags) {
  DWORD size = sizeof *flags;
  return RegGetValueW(HKEY_LOCAL_MACHINE, CERT_PROT_ROOT_FLAGS_REGPATH, CERT_PROT_ROOT_FLAGS_VALUE_NAME, RRF_RT_REG_DWORD,
                      nullptr, flags, &size) == ERROR_SUCCESS;
}

// The process's window station's UOI_FLAGS; false when it has none or they cannot be read.
// user32 is reached at run time, from System32: the addon imports no user32 for this one question.
bool WindowStationFlags(DWORD* flags) {
  HMODULE user32 = LoadLibraryExW(L"user32.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (user32 == nullptr) return false;
  using StationOf = HWINSTA(WINAPI*)();
  using InformationOf = BOOL(WINAPI*)(HANDLE, int, PVOID, DWORD, LPDWORD);
  const auto stationOf = reinterpret_cast<StationOf>(reinterpret_cast<void (*)()>(GetProcAddress(user32, "GetProcessWindowStation")));
  const auto informationOf =
      reinterpret_cast<InformationOf>(reinterpret_cast<void (*)()>(GetProcAddress(user32, "GetUserObjectInformationW")));
  bool read = false;
  if (stationOf != nullptr && informationOf != nullptr) {
    HWINSTA station = stationOf();  // not to be closed: the process's own
    USEROBJECTFLAGS info{};
    DWORD size = 0;
    if (station != nullptr && informationOf(station, UOI_FLAGS, &info, sizeof info, &size)) {
      *flags = info.dwFlags;
      read = true;
    }
  }
  FreeLibrary(user32);
  return read;
}

// Whether the location's logical Root store, opened anew, shows the certificate: what Windows
// trusts, after whatever policy filters it.
bool VisibleInRoot(DWORD location, const Bytes& sha1) {
  HCERTSTORE store = OpenRoot(location);
  if (store == nullptr) return false;
  PCCERT_CONTEXT found = FindBySha1(store, sha1);
  if (found != nullptr) CertFreeCertificateContext(found);
  CertCloseStore(store, 0);
  return found != nullptr;
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
  DWORD policy = 0;
  DWORD station = 0;
  const bool policyRead = !localMachine && ProtectedRootsFlags(&policy);
  const bool stationRead = !localMachine && WindowStationFlags(&station);
  switch (RootInstallVerdictFor(localMachine, policyRead, policy, stationRead, station)) {
    case RootInstallVerdict::kRefusePolicy:
      *error = HostError(kErrorAccessDisabledByPolicy, kCall,
                         "CurrentUser\\Root would not be trusted: " + ProtectedRootsPolicy(policy) +
                             "; install the CA into LocalMachine\\Root as an administrator instead");
      return false;
    case RootInstallVerdict::kRefuseNoVisibleStation:
      *error = HostError(kErrorRequiresInteractiveStation, kCall,
                         "adding to CurrentUser\\Root makes Windows ask the user to confirm, and this process has no "
                         "visible window station (a service, an SSH session or a CI runner: UOI_FLAGS " +
                             std::to_string(station) + ", WSF_VISIBLE clear) where anyone could answer; install the CA "
                             "into LocalMachine\\Root as an administrator instead");
      return false;
    case RootInstallVerdict::kProceed: break;
  }
  HCERTSTORE store = OpenRootForWriting(localMachine, error);
  if (store == nullptr) return false;
  PCCERT_CONTEXT added = nullptr;
  const bool ok = CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der.data(), static_cast<DWORD>(der.size()),
                                                   CERT_STORE_ADD_USE_EXISTING, &added) != FALSE;
  if (!ok) *error = LastWin32Error(kCall, "the certificate was not added (declined, or not a valid X.509 certificate)");
  Bytes sha1(20);
  DWORD size = static_cast<DWORD>(sha1.size());
  const bool named = ok && CertGetCertificateContextProperty(added, CERT_SHA1_HASH_PROP_ID, sha1.data(), &size) && size == 20;
  if (added != nullptr) CertFreeCertificateContext(added);
  // Closed before the read-back: a registry store may write its changes only then (Wine's does).
  CertCloseStore(store, 0);
  if (!ok) return false;
  // Read back through the logical store, as Windows' trust does: a policy can hide what was
  // written. What nobody would trust is taken out again.
  const DWORD location = localMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE : CERT_SYSTEM_STORE_CURRENT_USER;
  if (named && VisibleInRoot(location, sha1)) return true;
  const bool policyNow = !localMachine && ProtectedRootsFlags(&policy) && (policy & kProtectedRootsDisableCurrentUser) != 0;
  bool removed = false;
  EapErrorInfo removal;
  const bool removedOk = named && RemoveRootCertificate(sha1, localMachine, &removed, &removal);
  *error = HostError(kErrorAccessDisabledByPolicy, kCall,
                     std::string("the certificate was written but ") + (localMachine ? "LocalMachine" : "CurrentUser") +
                         "\\Root, read again, does not show it" +
                         (policyNow ? ": " + ProtectedRootsPolicy(policy)
                                    : std::string(": a policy or another program filters that store")) +
                         (removedOk ? "; it was removed again" : "; removing it again failed too"));
  return false;
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
    else *error = LastWin32Error("CertDeleteCertificateFromStore", std::string("the certificate was not removed from ") +
                                                                    (localMachine ? "LocalMachine" : "CurrentUser") + "\\Root");
  }
  CertCloseStore(store, 0);
  return ok;
}

}  // namespace eaphost
