#include "config_method_module.h"

#include <vector>

#include "../method_registry/method_registry.h"
#include "peer_runtime.h"

namespace eaphost {
namespace portable {

std::unique_ptr<ConfigMethodModule> ConfigMethodModule::Load(const eap::EAP_METHOD_TYPE& type, const char* call,
                                                             EapErrorInfo* error) {
  std::vector<MethodRegistration> methods;
  if (!PeerRuntime::Instance().GetRegisteredPeerMethods(&methods, error)) return nullptr;
  const MethodRegistration* found = nullptr;
  for (const auto& method : methods) {
    if (SameMethodType(method.type, type)) found = &method;
  }
  if (found == nullptr) {
    *error = HostError(eap::kErrorNotFound, call, "No peer method is registered for " + DescribeMethodType(type));
    error->reasonCode = eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED;
    error->methodType = type;
    return nullptr;
  }
  std::unique_ptr<ConfigMethodModule> module(new ConfigMethodModule());
  module->type_ = type;
  module->library_ = MethodLibrary::Load(found->peerDllPath, error);
  if (!module->library_) return nullptr;
  if (!module->library_->hasPeer()) {
    *error = HostError(eap::kErrorProcNotFound, call, found->peerDllPath + " has no peer side: it does not export " +
                                                          EAP_PEER_GET_INFO_NAME);
    return nullptr;
  }
  return module;
}

EapErrorInfo ConfigMethodModule::Unsupported(const char* name, const char* call) const {
  EapErrorInfo error = HostError(eap::kErrorNotSupported, call,
                                 "The method " + DescribeMethodType(type_) + " (" + library_->path() + ") does not export " + name);
  error.reasonCode = eap::EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED;
  error.methodType = type_;
  return error;
}

bool ConfigMethodModule::Check(eap::DWORD result, eap::EAP_ERROR* methodError, const char* call,
                               EapErrorInfo* error) const {
  if (result == eap::kErrorSuccess) {
    if (methodError != nullptr) library_->peerFreeErrorMemory(methodError);
    return true;
  }
  *error = CopyEapError(methodError, result, call, ErrorOrigin::kMethod);
  if (methodError != nullptr) library_->peerFreeErrorMemory(methodError);
  if (error->rootCauseString.empty()) {
    *error = HostError(result, call, std::string(call) + " failed with Win32 error " + std::to_string(result));
    error->origin = ErrorOrigin::kMethod;
  }
  if (error->methodType.eapType.type == 0) error->methodType = type_;
  return false;
}

void ConfigMethodModule::Free(void* memory) const {
  if (memory != nullptr) library_->peerFreeMemory(memory);
}

}  // namespace portable
}  // namespace eaphost
