#include "eaphost_library.h"

#include "../hosts/library_os.h"

namespace eaphost {

EapHostLibrary::~EapHostLibrary() {
  if (configHandle_ != runtimeHandle_) library_os::CloseLibrary(configHandle_);
  library_os::CloseLibrary(runtimeHandle_);
}

bool EapHostLibrary::Resolve(EapErrorInfo* error) {
  const char* missing = nullptr;
#define EAP_HOST_RESOLVE(handle, name)                                        \
  api_.name = reinterpret_cast<eap::PFN_##name>(library_os::FindExport(handle, #name)); \
  if (api_.name == nullptr && missing == nullptr) missing = #name;
#define EAP_HOST_RESOLVE_RUNTIME(name) EAP_HOST_RESOLVE(runtimeHandle_, name)
#define EAP_HOST_RESOLVE_CONFIG(name) EAP_HOST_RESOLVE(configHandle_, name)
  EAP_HOST_PEER_RUNTIME_FUNCTIONS(EAP_HOST_RESOLVE_RUNTIME)
  EAP_HOST_PEER_CONFIG_FUNCTIONS(EAP_HOST_RESOLVE_CONFIG)
#undef EAP_HOST_RESOLVE_CONFIG
#undef EAP_HOST_RESOLVE_RUNTIME
#undef EAP_HOST_RESOLVE
  if (missing != nullptr) {
    *error = HostError(eap::kErrorProcNotFound, "openEapHost",
                       description_ + " does not export " + missing +
                           ": it is not an EAPHost peer library");
    return false;
  }
  return true;
}

std::unique_ptr<ImpersonationToken> ImpersonationToken::ForFlags(eap::DWORD flags) {
  if ((flags & eap::EAP_FLAG_MACHINE_AUTH) != 0) return std::make_unique<ImpersonationToken>();
  return OfCaller();
}

std::unique_ptr<EapHostLibrary> EapHostLibrary::LoadPortable(const std::string& path,
                                                            EapErrorInfo* error) {
  std::unique_ptr<EapHostLibrary> library(new EapHostLibrary());
  library->description_ = path;
  library->runtimeHandle_ = library_os::OpenLibrary(path, "EAPHost library", error);
  if (library->runtimeHandle_ == nullptr) {
    error->call = "openEapHost";
    return nullptr;
  }
  library->configHandle_ = library->runtimeHandle_;
  if (!library->Resolve(error)) return nullptr;
  return library;
}

}  // namespace eaphost
