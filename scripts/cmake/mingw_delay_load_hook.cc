// Delay-load hook for mingw-w64 builds of the addon (MSVC builds get cmake-js's own).
// The addon's Node-API imports name "node.exe" and are delay-loaded (see
// mingw_node_import.cmake). In node that name is the process image anyway, but Electron's
// executable has another name and exports the same Node-API functions, so the first
// Node-API call must bind to whichever executable hosts the addon, not load a file.
#include <windows.h>
#include <delayimp.h>
#include <string.h>

namespace {

FARPROC WINAPI BindNodeToHostProcess(unsigned notification, PDelayLoadInfo info) {
  if (notification != dliNotePreLoadLibrary || info == nullptr || info->szDll == nullptr) return nullptr;
  if (_stricmp(info->szDll, "node.exe") != 0) return nullptr;
  // Runtimes that keep node in a DLL of that name export Node-API from it; otherwise the
  // executable does.
  HMODULE host = GetModuleHandleW(L"node.dll");
  if (host == nullptr) host = GetModuleHandleW(nullptr);
  return reinterpret_cast<FARPROC>(host);
}

}  // namespace

// The delay-load helper (mingw-w64's __delayLoadHelper2) calls this before loading a DLL;
// delayimp.h declares it extern "C"; this definition replaces mingw-w64's null default.
PfnDliHook __pfnDliNotifyHook2 = BindNodeToHostProcess;
