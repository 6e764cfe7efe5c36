// The Windows half of EapHostLibrary: loading the EAPHost DLLs and the host thread's COM
// apartment. The shared half (Resolve, LoadPortable) is eaphost_library.cc.
#include "eaphost_library.h"

#include <objbase.h>

#include <cstdio>
#include <string>

#include "../common/utf16.h"
#include "../hosts/library_os.h"

namespace eaphost {

namespace {

// Where a loaded module really came from: under Wine this is how a test tells the stand-in
// in the prefix's system32 from anything else.
std::string ModulePath(HMODULE module) {
  wchar_t buffer[MAX_PATH + 1] = {};
  DWORD length = GetModuleFileNameW(module, buffer, MAX_PATH);
  if (length == 0 || length >= MAX_PATH) return std::string();
  return Utf16ToUtf8(std::u16string(buffer, buffer + length));
}

// One of the two EAPHost DLLs, from System32 and nowhere else: a copy planted beside node.exe
// or in the working directory must never stand in for the system's EAPHost.
HMODULE LoadSystemDll(const wchar_t* wideName, const char* name, EapErrorInfo* error) {
  eap::DWORD code = 0;
  auto module = static_cast<HMODULE>(library_os::OpenSystemLibrary(wideName, &code));
  if (module == nullptr && error != nullptr) {
    *error = HostError(code, "LoadLibraryExW",
                       std::string(name) + " could not be loaded from System32: EAPHost is unavailable");
  }
  return module;
}

}  // namespace

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

ImpersonationToken::~ImpersonationToken() {
  if (handle_ != nullptr) CloseHandle(handle_);
}

std::unique_ptr<ImpersonationToken> ImpersonationToken::OfCaller() {
  auto token = std::make_unique<ImpersonationToken>();
  HANDLE own = nullptr;
  constexpr DWORD kAccess = TOKEN_QUERY | TOKEN_DUPLICATE | TOKEN_IMPERSONATE;
  if (!OpenThreadToken(GetCurrentThread(), kAccess, TRUE, &own) &&
      !OpenProcessToken(GetCurrentProcess(), kAccess, &own)) {
    return token;  // no token: EAPHost then runs the method without the user's context
  }
  HANDLE duplicate = nullptr;
  if (DuplicateTokenEx(own, TOKEN_QUERY | TOKEN_IMPERSONATE | TOKEN_DUPLICATE, nullptr, SecurityImpersonation,
                       TokenImpersonation, &duplicate)) {
    token->handle_ = duplicate;
  }
  CloseHandle(own);
  return token;
}

}  // namespace eaphost
