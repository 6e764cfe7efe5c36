// A registered peer method module, opened for one configuration call. EAPHost's configuration
// API (eappcfg.dll) loads the method DLL to convert XML, query credential fields or properties,
// with no EapHostPeerInitialize and no session; the module is unloaded when the call is done.
#pragma once

#include <memory>
#include <string>

#include "../abi/eap_method_abi.h"
#include "../common/eap_error_info.h"
#include "../hosts/method_library.h"

namespace eaphost {
namespace portable {

class ConfigMethodModule {
 public:
  // The module registered for `type` (type, vendor id, vendor type and author must all match),
  // with *routine set to its export `name`, the routine the configuration call forwards to.
  // Null with *error set when no module is registered (ERROR_NOT_FOUND,
  // EAP_E_EAPHOST_METHOD_NOT_INSTALLED) or it does not export `name` (ERROR_NOT_SUPPORTED).
  template <typename Function>
  static std::unique_ptr<ConfigMethodModule> Open(const eap::EAP_METHOD_TYPE& type, const char* name,
                                                  const char* call, EapErrorInfo* error, Function* routine) {
    *routine = nullptr;
    std::unique_ptr<ConfigMethodModule> module = Load(type, call, error);
    if (module == nullptr) return nullptr;
    *routine = module->library_->Find<Function>(name);
    if (*routine == nullptr) {
      *error = module->Unsupported(name, call);
      return nullptr;
    }
    return module;
  }
  ConfigMethodModule(const ConfigMethodModule&) = delete;
  ConfigMethodModule& operator=(const ConfigMethodModule&) = delete;

  // Copies the method's EAP_ERROR (or a plain failure) into *error, freeing it with the
  // module's EapPeerFreeErrorMemory; true when `result` is success.
  bool Check(eap::DWORD result, eap::EAP_ERROR* methodError, const char* call, EapErrorInfo* error) const;
  // Releases memory the method returned with its EapPeerFreeMemory.
  void Free(void* memory) const;

  const eap::EAP_METHOD_TYPE& type() const { return type_; }

 private:
  ConfigMethodModule() = default;
  static std::unique_ptr<ConfigMethodModule> Load(const eap::EAP_METHOD_TYPE& type, const char* call,
                                                  EapErrorInfo* error);
  EapErrorInfo Unsupported(const char* name, const char* call) const;

  eap::EAP_METHOD_TYPE type_{};
  // The loader every host uses; it also guarantees the peer side's two free functions.
  std::shared_ptr<MethodLibrary> library_;
};

}  // namespace portable
}  // namespace eaphost
