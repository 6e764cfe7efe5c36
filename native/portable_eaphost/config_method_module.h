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
  // The module registered for `type` (type, vendor id, vendor type and author must all match).
  // Null with *error set (ERROR_NOT_FOUND, EAP_E_EAPHOST_METHOD_NOT_INSTALLED) when none is.
  static std::unique_ptr<ConfigMethodModule> Open(const eap::EAP_METHOD_TYPE& type, const char* call,
                                                  EapErrorInfo* error);
  ConfigMethodModule(const ConfigMethodModule&) = delete;
  ConfigMethodModule& operator=(const ConfigMethodModule&) = delete;

  // The export `name`, or null with *error saying the method does not support `call`.
  template <typename Function>
  Function Find(const char* name, const char* call, EapErrorInfo* error) const {
    auto address = library_->Find<Function>(name);
    if (address == nullptr) *error = Unsupported(name, call);
    return address;
  }

  // Copies the method's EAP_ERROR (or a plain failure) into *error, freeing it with the
  // module's EapPeerFreeErrorMemory; true when `result` is success.
  bool Check(eap::DWORD result, eap::EAP_ERROR* methodError, const char* call, EapErrorInfo* error) const;
  // Releases memory the method returned with its EapPeerFreeMemory.
  void Free(void* memory) const;

  const eap::EAP_METHOD_TYPE& type() const { return type_; }

 private:
  ConfigMethodModule() = default;
  EapErrorInfo Unsupported(const char* name, const char* call) const;

  eap::EAP_METHOD_TYPE type_{};
  // The loader every host uses; it also guarantees the peer side's two free functions.
  std::shared_ptr<MethodLibrary> library_;
};

}  // namespace portable
}  // namespace eaphost
