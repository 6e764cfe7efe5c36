// The seam between the addon and an EAPHost implementation: a table of EapHostPeer* function
// pointers filled from a loaded library. On Windows the real eappprxy.dll + eappcfg.dll from
// System32; elsewhere (and for tests) the portable EAPHost library. One code path, two
// libraries. Never a static import, so the addon loads everywhere and reports clearly when
// EAPHost is unavailable.
#pragma once

#include <memory>
#include <string>

#include "../abi/eap_host_peer_abi.h"
#include "../common/eap_error_info.h"

namespace eaphost {

class EapHostLibrary {
 public:
  ~EapHostLibrary();  // unloads (after the caller has uninitialized)
  EapHostLibrary(const EapHostLibrary&) = delete;
  EapHostLibrary& operator=(const EapHostLibrary&) = delete;

  // The portable EAPHost at `path` (UTF-8): runtime and configuration API from one file.
  static std::unique_ptr<EapHostLibrary> LoadPortable(const std::string& path,
                                                      EapErrorInfo* error);
  // Windows: eappprxy.dll and eappcfg.dll from System32 only (LOAD_LIBRARY_SEARCH_SYSTEM32).
  // Elsewhere: fails with kErrorNotSupported.
  static std::unique_ptr<EapHostLibrary> LoadSystem(EapErrorInfo* error);

  const eap::EapHostPeerApi& api() const { return api_; }
  const std::string& description() const { return description_; }

 private:
  EapHostLibrary() = default;
  // Resolves every entry of the table from the two handles (may be the same); on a missing
  // export fails with kErrorProcNotFound naming it and the library.
  bool Resolve(EapErrorInfo* error);

  eap::EapHostPeerApi api_{};
  std::string description_;
  // Opened and closed through the hosts' OS loader (library_os.h), as method modules are.
  void* runtimeHandle_ = nullptr;
  void* configHandle_ = nullptr;
};

// hTokenImpersonateUser (BeginSession, GetIdentity, QueryCredentialInputFields,
// QueryUserBlobFromCredentialInputFields): an impersonation token of the calling user (the
// thread's token when it impersonates, else the process's), duplicated at SecurityImpersonation
// level, as the SDK's sample supplicant passes one ("required by methods to access resources
// (user cert ...)"). Null for machine authentication, on failure, and off Windows. Closed when
// the owner goes, which the session keeps until it ends.
class ImpersonationToken {
 public:
  ImpersonationToken() = default;
  ~ImpersonationToken();
  ImpersonationToken(const ImpersonationToken&) = delete;
  ImpersonationToken& operator=(const ImpersonationToken&) = delete;
  static std::unique_ptr<ImpersonationToken> OfCaller();
  // What a call taking hTokenImpersonateUser passes: the caller's token, or none when `flags`
  // has EAP_FLAG_MACHINE_AUTH (the machine authenticates, not a user).
  static std::unique_ptr<ImpersonationToken> ForFlags(eap::DWORD flags);
  eap::HANDLE handle() const { return handle_; }

 private:
  eap::HANDLE handle_ = nullptr;
};

// The host thread's COM apartment: MTA on Windows (EapHostPeerInitialize requires it, and
// Electron's main thread is STA, hence a thread of our own); nothing elsewhere.
bool EnterHostApartment(EapErrorInfo* error);
void LeaveHostApartment();

}  // namespace eaphost
