// The OS half of MethodLibrary: open a shared library, find an export, close it. One
// implementation per OS (method_library_posix.cc, method_library_win32.cc), so the loader's
// logic in method_library.cc has no #ifdef.
#pragma once

#include <string>

#include "../common/eap_error_info.h"

namespace eaphost {
namespace library_os {

// Any function pointer type converts to and from this one without a cast-function-type warning.
using ExportAddress = void (*)();

// Returns null and fills *error (call "LoadLibrary"/"dlopen", root cause naming the path and
// the OS's own reason) when the library cannot be loaded.
void* OpenLibrary(const std::string& path, EapErrorInfo* error);
ExportAddress FindExport(void* handle, const char* name);
void CloseLibrary(void* handle);

}  // namespace library_os
}  // namespace eaphost
