// POSIX half of the EAPHost seam: the portable library is opened by path with dlopen.
#include <dlfcn.h>

#include "eaphost_library.h"

namespace eaphost {

void* EapHostLibrary::OpenByPath(const std::string& path, EapErrorInfo* error, const char* call) {
  // RTLD_LOCAL keeps the library's symbols out of the global scope: two addon instances
  // (main thread and a worker) share one copy, and nothing else can bind to it by accident.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    *error = HostError(eap::kErrorModNotFound, call,
                       "cannot load EAPHost library " + path + ": " + (reason ? reason : "unknown error"));
  }
  return handle;
}

void* EapHostLibrary::Symbol(void* handle, const char* name) { return dlsym(handle, name); }

void EapHostLibrary::Close(void* handle) { dlclose(handle); }

std::unique_ptr<EapHostLibrary> EapHostLibrary::LoadSystem(EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "openEapHost",
                     "the Windows EAPHost (eappprxy.dll) exists only on Windows; use the portable backend");
  return nullptr;
}

bool EnterHostApartment(EapErrorInfo*) { return true; }
void LeaveHostApartment() {}

}  // namespace eaphost
