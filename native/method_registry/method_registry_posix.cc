// Default manifest location off Windows: $EAPHOST_METHODS_MANIFEST, else the manifest the build
// writes beside its artifacts, found from the file this code was loaded from (the addon or the
// portable EAPHost library), so an installed package needs no configuration.
#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include "method_registry.h"

namespace eaphost {

namespace {
constexpr const char* kManifestName = "eaphost-methods.json";
constexpr const char* kEnvironmentVariable = "EAPHOST_METHODS_MANIFEST";

// Any address inside this shared object will do for dladdr.
void AnchorForDladdr() {}
}  // namespace

bool MethodRegistry::LoadDefault(MethodRegistry* registry, EapErrorInfo* error) {
  const char* overridden = std::getenv(kEnvironmentVariable);
  if (overridden != nullptr && overridden[0] != '\0') {
    return LoadManifest(overridden, registry, error);
  }
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&AnchorForDladdr), &info) == 0 || info.dli_fname == nullptr) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorFileNotFound, "MethodRegistry::LoadDefault",
                         std::string("cannot locate the loaded library to find ") + kManifestName +
                             "; set " + kEnvironmentVariable);
    }
    return false;
  }
  std::string library = info.dli_fname;
  std::string::size_type slash = library.rfind('/');
  std::string directory = slash == std::string::npos ? std::string(".") : library.substr(0, slash);
  if (directory.empty()) directory = "/";
  return LoadManifest(directory + "/" + kManifestName, registry, error);
}

}  // namespace eaphost
