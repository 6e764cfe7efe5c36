// The Windows half of EapHostLibrary: loading the EAPHost DLLs and the host thread's COM
// apartment. The shared half (Resolve, LoadPortable) is eaphost_library.cc.
#include "eaphost_library.h"

#include <objbase.h>

#include <cstdio>
#include <string>

#include "../common/utf16.h"

namespace eaphost {

namespace {

bool IsAbsolutePath(const std::string& path) {
  bool drive = path.size() >= 3 && path[1] == ':' && (path[2] == '\\' || path[2] == '/');
  bool unc = path.size() >= 2 && (path[0] == '\\' || path[0] == '/') &&
             (path[1] == '\\' || path[1] == '/');
  return drive || unc;
}

std::wstring ToWide(const std::string& utf8) {
  std::u16string u16 = Utf8ToUtf16(utf8);
  return std::wstring(u16.begin(), u16.end());
}

// Where a loaded module really came from: under Wine this is how a test tells the stand-in
// in the prefix's system32 from anything else.
std::string ModulePath(HMODULE module) {
  wchar_t buffer[MAX_PATH + 1] = {};
  DWORD length = GetModuleFileNameW(module, buffer, MAX_PATH);
  if (length == 0 || length >= MAX_PATH) return std::string();
  return Utf16ToUtf8(std::u16string(buffer, buffer + length));
}

// LoadLibraryExW with the "cannot find the DLL" message box suppressed for this thread only:
// the addon runs in services and headless test runs, where a dialog would hang the caller.
HMODULE LoadQuietly(const wchar_t* name, DWORD flags, DWORD* code) {
  DWORD previousMode = 0;
  BOOL modeSet = SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &previousMode);
  HMODULE module = LoadLibraryExW(name, nullptr, flags);
  // Read before anything else can overwrite the thread's last error.
  *code = module == nullptr ? GetLastError() : 0;
  if (modeSet) SetThreadErrorMode(previousMode, nullptr);
  if (module == nullptr && *code == 0) *code = eap::kErrorModNotFound;
  return module;
}

// One of the two EAPHost DLLs, from System32 and nowhere else: a copy planted beside node.exe
// or in the working directory must never stand in for the system's EAPHost.
HMODULE LoadSystemDll(const wchar_t* wideName, const char* name, EapErrorInfo* error) {
  DWORD code = 0;
  HMODULE module = LoadQuietly(wideName, LOAD_LIBRARY_SEARCH_SYSTEM32, &code);
  if (module == nullptr && error != nullptr) {
    *error = HostError(code, "LoadLibraryExW",
                       std::string(name) + " could not be loaded from System32 (Win32 error " +
                           std::to_string(code) + "): EAPHost is unavailable");
  }
  return module;
}

}  // namespace

void* EapHostLibrary::OpenByPath(const std::string& path, EapErrorInfo* error, const char* call) {
  std::wstring wide = ToWide(path);
  // With an absolute path, LOAD_WITH_ALTERED_SEARCH_PATH makes the library's own folder the
  // first place its dependencies are looked for; Windows rejects the flag for relative paths.
  DWORD flags = IsAbsolutePath(path) ? LOAD_WITH_ALTERED_SEARCH_PATH : 0;
  DWORD code = 0;
  HMODULE module = LoadQuietly(wide.c_str(), flags, &code);
  if (module == nullptr && error != nullptr) {
    *error = HostError(code, call != nullptr ? call : "LoadLibraryExW",
                       path + " could not be loaded (Win32 error " + std::to_string(code) + ")");
  }
  return module;
}

void* EapHostLibrary::Symbol(void* handle, const char* name) {
  if (handle == nullptr) return nullptr;
  FARPROC address = GetProcAddress(static_cast<HMODULE>(handle), name);
  // The table stores untyped addresses; the shared half casts each to its PFN_ type.
  return reinterpret_cast<void*>(address);
}

void EapHostLibrary::Close(void* handle) {
  if (handle != nullptr) FreeLibrary(static_cast<HMODULE>(handle));
}

std::unique_ptr<EapHostLibrary> EapHostLibrary::LoadSystem(EapErrorInfo* error) {
  std::unique_ptr<EapHostLibrary> library(new EapHostLibrary());
  // Runtime API first: without it nothing works, so it is the failure worth reporting.
  HMODULE runtime = LoadSystemDll(L"eappprxy.dll", "eappprxy.dll", error);
  if (runtime == nullptr) return nullptr;
  library->runtimeHandle_ = runtime;  // owned from here: the destructor frees it
  HMODULE config = LoadSystemDll(L"eappcfg.dll", "eappcfg.dll", error);
  if (config == nullptr) return nullptr;
  library->configHandle_ = config;

  std::string runtimePath = ModulePath(runtime);
  std::string configPath = ModulePath(config);
  library->description_ = "Windows EAPHost (" +
                          (runtimePath.empty() ? std::string("eappprxy.dll") : runtimePath) +
                          ", " + (configPath.empty() ? std::string("eappcfg.dll") : configPath) +
                          ")";
  if (!library->Resolve(error)) return nullptr;
  return library;
}

bool EnterHostApartment(EapErrorInfo* error) {
  // EapHostPeerInitialize expects a multithreaded apartment. S_FALSE (already MTA on this
  // thread) still takes a reference, so it is success and is balanced by CoUninitialize.
  HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  if (SUCCEEDED(hr)) return true;
  if (error != nullptr) {
    std::string what = hr == RPC_E_CHANGED_MODE
                           ? "the host thread is already a single-threaded apartment; "
                             "EAPHost needs a multithreaded one"
                           : "COM could not be initialized on the host thread";
    char hex[16];
    snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(hr));
    *error = HostError(static_cast<eap::DWORD>(hr), "CoInitializeEx",
                       what + " (HRESULT " + hex + ")");
  }
  return false;
}

void LeaveHostApartment() { CoUninitialize(); }

}  // namespace eaphost
