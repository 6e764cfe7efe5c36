// Small pieces the Windows platform files share: a UTF-16 string as the Win32 API's wide string,
// and a failed Win32 call as an EapErrorInfo carrying its error code.
#pragma once

#include <windows.h>

#include <string>

#include "../common/eap_error_info.h"

namespace eaphost {

inline std::wstring Wide(const std::u16string& text) { return std::wstring(text.begin(), text.end()); }

// A failed Win32 call with its error code (kErrorInvalidState when it is 0). The text says what
// failed only: EapError's message adds "(Win32 error N)" from the code itself, once.
inline EapErrorInfo Win32Failure(DWORD code, const char* call, const std::string& what) {
  return HostError(code != 0 ? code : eap::kErrorInvalidState, call, what);
}

// The same for a call that reports through GetLastError().
inline EapErrorInfo LastWin32Error(const char* call, const std::string& what) {
  return Win32Failure(GetLastError(), call, what);
}

}  // namespace eaphost
