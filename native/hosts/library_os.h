// The one OS library loader: open a shared library, find an export, close it. Method modules
// (MethodLibrary) and EAPHost itself (the addon's EapHostLibrary) are both loaded through it.
// One implementation per OS (library_os_posix.cc, library_os_win32.cc), so the loaders' logic
// has no #ifdef.
#pragma once

#include <string>

#include "../common/eap_error_info.h"

namespace eaphost {
namespace library_os {

// Any function pointer type converts to and from this one without a cast-function-type warning.
using ExportAddress = void (*)();

// Only an absolute path is loaded (as EAPHost's registry holds); the library's own folder is
// where its dependencies are found first. Returns null and fills *error (call "LoadLibraryExW"
// / "dlopen", root cause "cannot load <what> <path>: " and the OS's own reason) on failure.
void* OpenLibrary(const std::string& path, const char* what, EapErrorInfo* error);
// Windows only: a DLL from System32 and nowhere else (LOAD_LIBRARY_SEARCH_SYSTEM32), with the
// Win32 error in *code on failure.
void* OpenSystemLibrary(const wchar_t* name, eap::DWORD* code);
ExportAddress FindExport(void* handle, const char* name);
void CloseLibrary(void* handle);

// `name` of `library` (opened at `module`) as the function pointer `*target`; false, with
// ERROR_PROC_NOT_FOUND naming both in *error, when the library has no such export.
template <typename Pointer>
bool FindTypedExport(void* module, const char* library, const char* name, Pointer* target, EapErrorInfo* error) {
  *target = reinterpret_cast<Pointer>(FindExport(module, name));
  if (*target != nullptr) return true;
  *error = HostError(eap::kErrorProcNotFound, "GetProcAddress", std::string(library) + " has no " + name);
  return false;
}

}  // namespace library_os
}  // namespace eaphost
