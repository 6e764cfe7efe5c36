// A loaded method module (a shared library exporting the Windows EAP method ABI).
// Hosts meet methods only through this: never by linking a method's sources.
#pragma once

#include <memory>
#include <string>

#include "../abi/eap_method_abi.h"
#include "../common/eap_error_info.h"

namespace eaphost {

class MethodLibrary {
 public:
  // Loads the library at `path` (UTF-8) and resolves the exports it has. Fails with
  // kErrorModNotFound (or the OS error) when it cannot be loaded, and kErrorProcNotFound
  // naming the missing export when it has neither the peer nor the authenticator GetInfo.
  static std::shared_ptr<MethodLibrary> Load(const std::string& path, EapErrorInfo* error);
  ~MethodLibrary();  // unloads

  MethodLibrary(const MethodLibrary&) = delete;
  MethodLibrary& operator=(const MethodLibrary&) = delete;

  const std::string& path() const { return path_; }
  bool hasPeer() const { return peerGetInfo != nullptr; }
  bool hasAuthenticator() const { return authenticatorGetInfo != nullptr; }
  // Any other export (the configuration routines are optional, so they are looked up when a
  // configuration call needs them); null when the module does not export `name`.
  template <typename Function>
  Function Find(const char* name) const {
    return reinterpret_cast<Function>(FindAddress(name));
  }

  // Resolved exports; null where the module does not export them.
  eap::PFN_EapPeerGetInfo peerGetInfo = nullptr;
  eap::PFN_EapPeerFreeMemory peerFreeMemory = nullptr;
  eap::PFN_EapPeerFreeErrorMemory peerFreeErrorMemory = nullptr;
  eap::PFN_EapPeerQueryCredentialInputFields peerQueryCredentialInputFields = nullptr;
  eap::PFN_EapPeerQueryUserBlobFromCredentialInputFields peerQueryUserBlob = nullptr;
  eap::PFN_EapMethodAuthenticatorGetInfo authenticatorGetInfo = nullptr;
  eap::PFN_EapMethodAuthenticatorFreeMemory authenticatorFreeMemory = nullptr;
  eap::PFN_EapMethodAuthenticatorFreeErrorMemory authenticatorFreeErrorMemory = nullptr;

 private:
  MethodLibrary() = default;
  using ExportAddress = void (*)();
  ExportAddress FindAddress(const char* name) const;
  std::string path_;
  void* handle_ = nullptr;
};

}  // namespace eaphost
