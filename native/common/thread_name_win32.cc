// Windows: the thread's description (SetThreadDescription, Windows 10 1607 and Server 2016 on),
// which Visual Studio, WinDbg, Windows Performance Analyzer and Process Explorer show. Looked up
// when called: Microsoft's page for it says that on 1607 and Server 2016 only KernelBase.dll
// exports it, kernel32.dll from later versions on. On an older Windows a thread keeps no name
// and nothing fails.
#include "thread_name.h"

#include <windows.h>

#include <initializer_list>
#include <string>

namespace eaphost {

void NameThisThread(const char* name) {
  using SetDescription = HRESULT(WINAPI*)(HANDLE, PCWSTR);
  SetDescription set = nullptr;
  for (const wchar_t* module : {L"kernel32.dll", L"KernelBase.dll"}) {
    HMODULE loaded = GetModuleHandleW(module);  // both are in every process: no load, no reference
    if (loaded == nullptr) continue;
    // Through void (*)(): FARPROC is no function's real type.
    set = reinterpret_cast<SetDescription>(
        reinterpret_cast<void (*)()>(GetProcAddress(loaded, "SetThreadDescription")));
    if (set != nullptr) break;
  }
  if (set == nullptr) return;
  std::wstring wide;
  for (const char* at = name; *at != '\0'; ++at) wide.push_back(static_cast<wchar_t>(static_cast<unsigned char>(*at)));
  set(GetCurrentThread(), wide.c_str());
}

}  // namespace eaphost
