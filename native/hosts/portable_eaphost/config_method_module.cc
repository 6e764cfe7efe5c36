#include "config_method_module.h"

#include <vector>

#include "../library_os.h"
#include "../method_registry.h"
#include "peer_runtime.h"

namespace eaphost {
namespace portable {

namespace {
std::string Describe(const eap::EAP_METHOD_TYPE& type) {
  return "EAP type " + std::to_string(type.eapType.type) + " (vendor " + std::to_string(type.eapType.dwVendorId) +
         ", vendor type " + std::to_string(type.eapType.dwVendorType) + ", author " + std::to_string(type.dwAuthorId) + ")";
}

bool SameType(const eap::EAP_METHOD_TYPE& a, const eap::EAP_METHOD_TYPE& b) {
  return a.eapType.type == b.eapType.type && a.eapType.dwVendorId == b.eapType.dwVendorId &&
         a.eapType.dwVendorType == b.eapType.dwVendorType && a.dwAuthorId == b.dwAuthorId;
}
}  // namespace

std::unique_ptr<ConfigMethodModule> ConfigMethodModule::Open(const eap::EAP_METHOD_TYPE& type, const char* call,
                                                             EapErrorInfo* error) {
  std::vector<MethodRegistration> methods;
  if (!PeerRuntime::Instance().GetRegisteredPeerMethods(&methods, error)) return nullptr;
  const MethodRegistration* found = nullptr;
  for (const auto& method : methods) {
    if (SameType(method.type, type)) found = &method;
  }
  if (found == nullptr) {
    *error = HostError(eap::kErrorNotFound, call, "No peer method is registered for " + Describe(type));
    error->reasonCode = eap::EAP_E_EAPHOST_METHOD_NOT_INSTALLED;
    error->methodType = type;
    return nullptr;
  }
  void* handle = library_os::OpenLibrary(found->peerDllPath, "peer method", error);
  if (handle == nullptr) return nullptr;
  std::unique_ptr<ConfigMethodModule> module(new ConfigMethodModule());
  module->type_ = type;
  module->path_ = found->peerDllPath;
  module->handle_ = handle;
  module->freeMemory_ = reinterpret_cast<eap::PFN_EapPeerFreeMemory>(module->FindExport(EAP_PEER_FREE_MEMORY_NAME));
  module->freeErrorMemory_ =
      reinterpret_cast<eap::PFN_EapPeerFreeErrorMemory>(module->FindExport(EAP_PEER_FREE_ERROR_MEMORY_NAME));
  if (module->freeMemory_ == nullptr || module->freeErrorMemory_ == nullptr) {
    *error = HostError(eap::kErrorProcNotFound, call,
                       found->peerDllPath + " does not export EapPeerFreeMemory and EapPeerFreeErrorMemory");
    return nullptr;
  }
  return module;
}

ConfigMethodModule::~ConfigMethodModule() { library_os::CloseLibrary(handle_); }

ConfigMethodModule::ExportAddress ConfigMethodModule::FindExport(const char* name) const {
  return library_os::FindExport(handle_, name);
}

EapErrorInfo ConfigMethodModule::Unsupported(const char* name, const char* call) const {
  EapErrorInfo error = HostError(eap::kErrorNotSupported, call,
                                 "The method " + Describe(type_) + " (" + path_ + ") does not export " + name);
  error.reasonCode = eap::EAP_E_EAPHOST_METHOD_OPERATION_NOT_SUPPORTED;
  error.methodType = type_;
  return error;
}

bool ConfigMethodModule::Check(eap::DWORD result, eap::EAP_ERROR* methodError, const char* call,
                               EapErrorInfo* error) const {
  if (result == eap::kErrorSuccess) {
    if (methodError != nullptr) freeErrorMemory_(methodError);
    return true;
  }
  *error = CopyEapError(methodError, result, call, ErrorOrigin::kMethod);
  if (methodError != nullptr) freeErrorMemory_(methodError);
  if (error->rootCauseString.empty()) {
    *error = HostError(result, call, std::string(call) + " failed with Win32 error " + std::to_string(result));
    error->origin = ErrorOrigin::kMethod;
  }
  if (error->methodType.eapType.type == 0) error->methodType = type_;
  return false;
}

void ConfigMethodModule::Free(void* memory) const {
  if (memory != nullptr) freeMemory_(memory);
}

}  // namespace portable
}  // namespace eaphost
