// Windows environment through GetEnvironmentVariableW: it sees what node's process.env writes
// (SetEnvironmentVariableW), which the CRT's copy may not, and it is no UCRT-deprecated call.
#include "environment.h"

#include <windows.h>

#include <string>

namespace eaphost {

namespace {

std::string Utf8(const std::wstring& wide) {
  if (wide.empty()) return std::string();
  int size = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0, nullptr, nullptr);
  if (size <= 0) return std::string();
  std::string out(static_cast<std::size_t>(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), &out[0], size, nullptr, nullptr);
  return out;
}

}  // namespace

std::optional<std::string> EnvironmentValue(const char* name) {
  std::wstring wideName;
  for (const char* c = name; *c != '\0'; ++c) wideName.push_back(static_cast<wchar_t>(static_cast<unsigned char>(*c)));
  // The size with the terminator; 0 with ERROR_ENVVAR_NOT_FOUND when unset. The value may
  // change between the two calls (another thread): ask again until it fits.
  std::wstring value(64, L'\0');
  for (;;) {
    SetLastError(ERROR_SUCCESS);
    DWORD needed = GetEnvironmentVariableW(wideName.c_str(), &value[0], static_cast<DWORD>(value.size()));
    if (needed == 0) {
      if (GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
      return std::string();  // set, and empty
    }
    if (needed < value.size()) {
      value.resize(needed);
      return Utf8(value);
    }
    value.assign(needed, L'\0');
  }
}

}  // namespace eaphost
