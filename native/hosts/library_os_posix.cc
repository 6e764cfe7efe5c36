#include <dlfcn.h>

#include "library_os.h"

namespace eaphost {
namespace library_os {

void* OpenLibrary(const std::string& path, const char* what, EapErrorInfo* error) {
  // Only an absolute path, as EAPHost's registry holds: a bare name would make dlopen search
  // the system library path and run some other library's start-up code before we refuse it.
  // A NUL inside would load a different file than the one named.
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorInvalidParameter, "dlopen",
                         std::string(what) + " paths must be absolute (as in EAPHost's registry); refusing \"" +
                             path.substr(0, path.find('\0')) + "\"");
    }
    return nullptr;
  }
  // RTLD_LOCAL: two method modules may define the same internal names; RTLD_NOW: an
  // unresolved symbol fails here, with a message, rather than mid-authentication.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr && error != nullptr) {
    const char* reason = dlerror();
    // dlopen reports no error number; 126 is what Windows gives for the same failure, so
    // callers see one code for "module could not be loaded" on every OS.
    *error = HostError(eap::kErrorModNotFound, "dlopen",
                       "cannot load " + std::string(what) + " " + path + ": " +
                           (reason != nullptr ? reason : "unknown dlopen error"));
  }
  return handle;
}

ExportAddress FindExport(void* handle, const char* name) {
  return reinterpret_cast<ExportAddress>(dlsym(handle, name));
}

void CloseLibrary(void* handle) {
  if (handle != nullptr) dlclose(handle);
}

}  // namespace library_os
}  // namespace eaphost
